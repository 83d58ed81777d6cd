// Input in the middle of a chain.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4>, tn::Dense<8>, tn::Input<8>, tn::Dense<2>>;
#else
using Net = tn::Sequential<tn::Input<4>, tn::Dense<8>, tn::Dense<2>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: takes Input<...> only as its first argument
// expect: layer<1>, typenet::Input<8>
