// Ceil rounding is a pooling option.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>, tn::Ceil>>;
#else
using Net =
    tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>, tn::Floor>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: does not take tn::Ceil
