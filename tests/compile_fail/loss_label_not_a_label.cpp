// A label type that is neither tn::ClassIndex nor a tn::Shape.
#include <typenet/shapes.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<4>, tn::Dense<3>>;
#ifdef TYPENET_SHOULD_FAIL
using Objective = tn::loss::bind<tn::loss::MSE, Net, int>;
#else
using Objective = tn::loss::bind<tn::loss::MSE, Net, tn::Shape<3>>;
#endif
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: a label is tn::ClassIndex .one integer class per sample., tn::ClassMask<H, W> .one per pixel. or a tn::Shape
// expect: MSE.*output<3>, int
