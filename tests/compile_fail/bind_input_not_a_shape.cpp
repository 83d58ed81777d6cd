// tn::bind binds a spec to a tn::Shape, not to an Input.
#include <typenet/shapes.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Bound = tn::bind<tn::Dense<10>, tn::Input<784>>;
#else
using Bound = tn::bind<tn::Dense<10>, tn::Shape<784>>;
#endif
[[maybe_unused]] constexpr std::size_t parameters = Bound::parameter_count;
// expect: tn::bind<Spec, In> requires In to be a tn::Shape
// expect: not_a_shape<typenet::Input<784>
