// Three 2x2 poolings shrink 8x8 to 1x1; a fourth has nothing to pool.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Kernel<2>>, tn::MaxPool2D<tn::Kernel<2>>,
                   tn::MaxPool2D<tn::Kernel<2>>, tn::MaxPool2D<tn::Kernel<2>>>;
#else
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Kernel<2>>,
                           tn::MaxPool2D<tn::Kernel<2>>, tn::MaxPool2D<tn::Kernel<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: window larger than the padded input
// expect: layer<3>.*MaxPool2D.*input<4, 1, 1>.*kernel<2>
