// A negative exponent would amplify instead of normalise.
#include <ratio>
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<8, 5, 5>,
                           tn::LocalResponseNorm<5, std::ratio<1, 10000>, std::ratio<-3, 4>>>;
#else
using Net = tn::Sequential<tn::Input<8, 5, 5>,
                           tn::LocalResponseNorm<5, std::ratio<1, 10000>, std::ratio<3, 4>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: requires Alpha >= 0, Beta > 0 and K >= 0
// expect: layer<0>.*size<5>
