// Per-pixel class labels for a classifier's 1-D output of class scores.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<4>>;
#ifdef TYPENET_SHOULD_FAIL
using Objective = tn::loss::bind<tn::loss::Dice, Net, tn::ClassMask<8, 8>>;
#else
using Objective = tn::loss::bind<tn::loss::Dice, Net, tn::Shape<4>>;
#endif
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: a loss on tn::ClassMask<H, W> labels requires an output of C x H x W class scores
// expect: Dice.*output<4>.*ClassMask<8, 8>
