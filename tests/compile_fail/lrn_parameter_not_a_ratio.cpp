// LRN's constants are std::ratios.
#include <ratio>
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<8, 5, 5>, tn::LocalResponseNorm<5, double>>;
#else
using Net = tn::Sequential<tn::Input<8, 5, 5>, tn::LocalResponseNorm<5, std::ratio<1, 1000>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: LocalResponseNorm<Size, Alpha, Beta, K> takes Alpha, Beta and K as std::ratios
