// An empty kernel.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<0, 3>>>;
#else
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<1, 3>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires Kernel<KH, KW> >= 1
// expect: layer<0>.*axis<'H'>.*kernel<0>
