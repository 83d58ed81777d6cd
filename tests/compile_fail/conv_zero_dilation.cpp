// Dilation 0 would put every tap on the same pixel.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Dilation<0>>>;
#else
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Dilation<1>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires Dilation<DH, DW> >= 1
// expect: layer<0>.*dilation<0>
