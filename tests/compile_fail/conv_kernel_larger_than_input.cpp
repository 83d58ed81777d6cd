// A 5x5 kernel on a 4x4 input without padding.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<4, tn::Kernel<5>>>;
#else
using Net = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<4, tn::Kernel<5>, tn::Pad<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: window larger than the padded input
// expect: layer<0>.*input<1, 4, 4>.*pad<0>.*kernel<5>
