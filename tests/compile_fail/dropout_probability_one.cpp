// Dropping every unit.
#include <ratio>
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10>, tn::Dropout<std::ratio<1>>>;
#else
using Net = tn::Sequential<tn::Input<10>, tn::Dropout<std::ratio<9, 10>>>;
#endif
// Instantiating the network runs its checks.
[[maybe_unused]] constexpr std::size_t parameters = Net::parameter_count;
// expect: Dropout<P> requires 0 <= P < 1
