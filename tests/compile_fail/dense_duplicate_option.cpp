// Bias both off and on.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<100>, tn::Dense<10, tn::Bias<false>, tn::Bias<true>>>;
#else
using Net = tn::Sequential<tn::Input<100>, tn::Dense<10, tn::Bias<false>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Dense<N, Options...> requires each option at most once
