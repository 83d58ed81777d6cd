// Class labels for a network that outputs an image.
#include <typenet/shapes.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>>;
#ifdef TYPENET_SHOULD_FAIL
using Objective = tn::loss::bind<tn::loss::SoftmaxCrossEntropy, Net, tn::ClassIndex>;
#else
using Objective = tn::loss::bind<tn::loss::MSE, Net, tn::Shape<4, 8, 8>>;
#endif
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: requires a 1-D output of N >= 2 class scores
// expect: SoftmaxCrossEntropy.*output<4, 8, 8>.*ClassIndex
