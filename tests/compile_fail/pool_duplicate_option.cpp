// Two strides for one pooling layer.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<4, 8, 8>, tn::AvgPool2D<tn::Kernel<2>, tn::Stride<2>, tn::Stride<1>>>;
#else
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::AvgPool2D<tn::Kernel<2>, tn::Stride<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: MaxPool2D/AvgPool2D<Options...> require each option at most once
