// MSE against targets of another size than the output.
#include <typenet/shapes.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<20>, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Objective = tn::loss::bind<tn::loss::MSE, Net, tn::Shape<5>>;
#else
using Objective = tn::loss::bind<tn::loss::MSE, Net, tn::Shape<10>>;
#endif
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: the label shape must equal the network's output shape
// expect: MSE.*output<10>.*Shape<5>
