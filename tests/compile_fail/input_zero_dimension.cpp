// A sample with no pixels.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 0, 28>, tn::Flatten>;
#else
using Net = tn::Sequential<tn::Input<1, 28, 28>, tn::Flatten>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Input<D...> requires every dimension to be at least 1
// expect: Input<1, 0, 28>
