// Zero groups.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Groups<0>>>;
#else
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Groups<4>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires G >= 1
// expect: layer<0>.*groups<0>
