// Upsample takes a scale and an interpolation; a stride is a pooling or convolution option.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Up = tn::Upsample<tn::Stride<2>>;
#else
using Up = tn::Upsample<tn::Scale<2>>;
#endif
using Net = tn::Sequential<tn::Input<4, 8, 8>, Up>;
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Upsample<Options...> takes as options only tn::Scale<SH, SW> and an
// expect: layer<0>
