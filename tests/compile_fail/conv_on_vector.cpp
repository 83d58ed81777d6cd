// A convolution after Flatten.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Conv2D<4, tn::Kernel<3>>>;
#else
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::Flatten>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires a C x H x W image input
// expect: layer<1>.*input<64>
