// The SVM loss takes the index of the true class.
#include <typenet/shapes.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<20>, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Objective = tn::loss::bind<tn::loss::Hinge, Net, tn::Shape<10>>;
#else
using Objective = tn::loss::bind<tn::loss::Hinge, Net, tn::ClassIndex>;
#endif
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: requires tn::ClassIndex labels
// expect: Hinge.*output<10>
