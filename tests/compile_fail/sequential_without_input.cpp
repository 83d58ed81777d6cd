// A network that does not say what a sample looks like.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU>;
#else
using Net = tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires its first argument to be tn::Input
