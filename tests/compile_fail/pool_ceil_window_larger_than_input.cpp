// Ceil tolerates a window that hangs over the edge by less than a stride, not more.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<4, 2, 2>, tn::MaxPool2D<tn::Kernel<4>, tn::Stride<2>, tn::Ceil>>;
#else
using Net =
    tn::Sequential<tn::Input<4, 2, 2>, tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>, tn::Ceil>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: window larger than the padded input
// expect: layer<0>.*input<4, 2, 2>.*kernel<4>.*stride<2>.*Ceil
