// A batch dimension in Input: the batch size is a run-time value, never part of a shape.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<64, 1, 28, 28>, tn::Flatten>;
#else
using Net = tn::Sequential<tn::Input<1, 28, 28>, tn::Flatten>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Input<D...> takes one sample's shape
// expect: Input<64, 1, 28, 28>
