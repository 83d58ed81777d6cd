// Dilation is a convolution option.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Kernel<2>, tn::Dilation<2>>>;
#else
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: MaxPool2D/AvgPool2D<Options...> take as options only
// expect: MaxPool2D<typenet::Kernel<2
