// A stride-2 convolution maps two sizes to one; output padding picks one of them, so it must stay
// below the stride (PyTorch's output_padding).
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Up = tn::ConvTranspose2D<8, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::OutputPad<1, 2>>;
#else
using Up = tn::ConvTranspose2D<8, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::OutputPad<1, 1>>;
#endif
using Net = tn::Sequential<tn::Input<16, 7, 7>, Up>;
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: ConvTranspose2D requires output pad < stride
// expect: layer<0>.*axis<'W'>.*output_pad<2>.*stride<2>
