// Two kernel sizes for one layer.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Kernel<5>>>;
#else
using Net = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires each option at most once
