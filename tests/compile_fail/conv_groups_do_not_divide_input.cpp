// 4 groups cannot split 6 input channels.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<6, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Groups<4>>>;
#else
using Net = tn::Sequential<tn::Input<6, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Groups<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires G to divide the input channels
// expect: layer<0>.*input<6, 8, 8>.*out_channels<8>.*groups<4>
