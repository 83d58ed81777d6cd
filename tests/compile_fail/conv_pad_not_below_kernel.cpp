// Padding as large as the kernel: border outputs would see only zeros.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<3>>>;
#else
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<2>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Conv2D requires pad < dilation
// expect: layer<0>.*pad<3>.*kernel<3>
