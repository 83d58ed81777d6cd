// A kernel for a dense layer.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<100>, tn::Dense<10, tn::Kernel<3>>>;
#else
using Net = tn::Sequential<tn::Input<100>, tn::Dense<10, tn::Bias<true>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Dense<N, Options...> takes as option only tn::Bias<bool>
// expect: layer<0>, typenet::Dense<10, typenet::Kernel<3
