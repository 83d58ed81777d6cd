// A pooling layer without a window.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Stride<2>>>;
#else
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: MaxPool2D/AvgPool2D<Options...> require a window size
