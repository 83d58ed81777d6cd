// Shakeout around a pooling layer: it perturbs the weights of a layer's input units, and
// MaxPool2D has no weights.
#include <ratio>
#include <typenet/shapes.hpp>
#include <typenet/spec/shakeout.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Shakeout<tn::MaxPool2D<tn::Kernel<2>>>>;
#else
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Shakeout<tn::Conv2D<4, tn::Kernel<3>>>,
                           tn::MaxPool2D<tn::Kernel<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Shakeout<Layer, Tau, C> requires Layer to be tn::Dense<N> or tn::Conv2D<...>
