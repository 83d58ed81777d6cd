// Dense straight after a convolution: typenet does not flatten implicitly.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<1, 28, 28>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<1, 28, 28>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>,
                           tn::Flatten, tn::Dense<10>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: require a 1-D input .a feature vector.. typenet does not flatten implicitly
// expect: layer<1>.*Dense<10>.*input<4, 28, 28>
