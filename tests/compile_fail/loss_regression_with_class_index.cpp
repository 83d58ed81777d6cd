// MSE compares element by element and needs a target of the output's shape.
#include <typenet/shapes.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<20>, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Objective = tn::loss::bind<tn::loss::MSE, Net, tn::ClassIndex>;
#else
using Objective = tn::loss::bind<tn::loss::MSE, Net, tn::Shape<10>>;
#endif
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: requires a tn::Shape<...> target of the output's shape as label, not tn::ClassIndex
// expect: MSE.*output<10>.*ClassIndex
