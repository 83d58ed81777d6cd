// The lecture's 7x7 input with a 3x3 filter at stride 3: (7 - 3) / 3 is not whole.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<3, 7, 7>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<3>>>;
#else
using Net = tn::Sequential<tn::Input<3, 7, 7>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: stride does not tile the padded input exactly
// expect: layer<0>.*axis<'H'>.*input<3, 7, 7>.*pad<0>.*kernel<3>.*dilation<1>.*stride<3>
