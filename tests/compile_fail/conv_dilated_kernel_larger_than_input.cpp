// A 3x3 kernel at dilation 4 spans 9 pixels, more than the 7 there are.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 7, 7>, tn::Conv2D<4, tn::Kernel<3>, tn::Dilation<4>>>;
#else
using Net = tn::Sequential<tn::Input<1, 7, 7>, tn::Conv2D<4, tn::Kernel<3>, tn::Dilation<3>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: window larger than the padded input
// expect: layer<0>.*input<1, 7, 7>.*kernel<3>.*dilation<4>
