// Local response normalisation over no channels.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<8, 5, 5>, tn::LocalResponseNorm<0>>;
#else
using Net = tn::Sequential<tn::Input<8, 5, 5>, tn::LocalResponseNorm<3>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: LocalResponseNorm<Size, ...> requires Size >= 1
// expect: layer<0>.*size<0>
