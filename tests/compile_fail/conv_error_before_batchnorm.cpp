// Layers with shape rules after a broken one (BatchNorm, PReLU, LocalResponseNorm, Dense) stay
// silent: one error, at the layer that is wrong.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<3, 7, 7>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<3>>, tn::BatchNorm,
                   tn::PReLU, tn::LocalResponseNorm<>, tn::Flatten, tn::Dense<3>>;
#else
using Net =
    tn::Sequential<tn::Input<3, 7, 7>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>>, tn::BatchNorm,
                   tn::PReLU, tn::LocalResponseNorm<>, tn::Flatten, tn::Dense<3>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: stride does not tile the padded input exactly
// expect: layer<0>.*input<3, 7, 7>.*stride<3>
