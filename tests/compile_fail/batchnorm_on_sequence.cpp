// BatchNorm knows vectors and images, not C x L sequences.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<8, 5>, tn::BatchNorm>;
#else
using Net = tn::Sequential<tn::Input<8, 5, 1>, tn::BatchNorm>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires a feature vector .N. or a C x H x W input
// expect: layer<0>.*BatchNorm.*input<8, 5>
