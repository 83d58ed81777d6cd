// Shakeout around a convolution: its rule (one draw per input unit) is stated for a fully
// connected layer.
#include <ratio>
#include <typenet/shapes.hpp>
#include <typenet/spec/shakeout.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Shakeout<tn::Conv2D<4, tn::Kernel<3>>>>;
#else
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::Flatten,
                           tn::Shakeout<tn::Dense<10>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Shakeout<Layer, Tau, C> requires Layer to be tn::Dense<N>
