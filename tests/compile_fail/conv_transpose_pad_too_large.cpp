// A transposed convolution's padding crops its output; cropping a whole kernel footprint or more
// is a mistake.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Up = tn::ConvTranspose2D<8, tn::Kernel<2>, tn::Stride<2>, tn::Pad<2>>;
#else
using Up = tn::ConvTranspose2D<8, tn::Kernel<2>, tn::Stride<2>, tn::Pad<1>>;
#endif
using Net = tn::Sequential<tn::Input<16, 7, 7>, Up>;
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: ConvTranspose2D requires pad < dilation.*its padding crops the output, and more would crop away whole kernel footprints
// expect: layer<0>.*input<16, 7, 7>.*pad<2>.*kernel<2>
