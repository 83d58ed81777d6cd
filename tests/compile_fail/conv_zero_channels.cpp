// A convolution with no output channels.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<0, tn::Kernel<3>>>;
#else
using Net = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<1, tn::Kernel<3>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Conv2D<Out, ...> requires Out >= 1 output channels
// expect: layer<0>.*out_channels<0>
