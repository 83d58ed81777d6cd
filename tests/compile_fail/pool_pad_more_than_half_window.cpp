// Padding 2 for a 3x3 average: windows would be mostly padding.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<4, 7, 7>, tn::AvgPool2D<tn::Kernel<3>, tn::Stride<1>, tn::Pad<2>>>;
#else
using Net =
    tn::Sequential<tn::Input<4, 7, 7>, tn::AvgPool2D<tn::Kernel<3>, tn::Stride<1>, tn::Pad<1>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: MaxPool2D/AvgPool2D require pad <= kernel/2
// expect: layer<0>.*AvgPool2D.*pad<2>.*kernel<3>
