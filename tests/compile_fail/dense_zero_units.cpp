// A Dense layer with no outputs.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<100>, tn::Dense<0>>;
#else
using Net = tn::Sequential<tn::Input<100>, tn::Dense<1>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires at least one output unit
// expect: layer<0>.*Dense<0>.*units<0>
