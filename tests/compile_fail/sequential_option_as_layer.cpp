// An option where a layer belongs.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::Kernel<3>>;
#else
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires every argument after Input<...> to be a layer spec
// expect: layer<1>, typenet::Kernel<3
