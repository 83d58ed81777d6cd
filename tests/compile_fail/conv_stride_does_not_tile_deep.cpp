// A mistake deep in a network names its own layer, and is the only error.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<1, 28, 28>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>>, tn::Conv2D<16, tn::Kernel<3>, tn::Stride<2>>,
                   tn::ReLU, tn::Conv2D<32, tn::Kernel<5>>, tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<1, 28, 28>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
                           tn::MaxPool2D<tn::Kernel<2>>,
                           tn::Conv2D<16, tn::Kernel<4>, tn::Stride<2>, tn::Pad<1>>, tn::ReLU,
                           tn::Conv2D<32, tn::Kernel<5>, tn::Pad<2>>, tn::Flatten, tn::Dense<10>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: stride does not tile the padded input exactly
// expect: layer<3>.*input<8, 14, 14>.*kernel<3>.*stride<2>
