// A convolution needs a kernel size; there is no sensible default.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<8, tn::Stride<2>>>;
#else
using Net = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<8, tn::Kernel<2>, tn::Stride<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires a kernel size: add tn::Kernel<K>
// expect: Conv2D<8, typenet::Stride<2
