// GlobalAvgPool needs an image.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<64>, tn::GlobalAvgPool>;
#else
using Net = tn::Sequential<tn::Input<64, 2, 2>, tn::GlobalAvgPool>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires a C x H x W image input
// expect: layer<0>.*GlobalAvgPool.*input<64>
