// A U-Net-like output of 4 x 8 x 8 class scores trained on masks of another size.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>>;
#ifdef TYPENET_SHOULD_FAIL
using Objective = tn::loss::bind<tn::loss::SoftmaxCrossEntropy, Net, tn::ClassMask<6, 6>>;
#else
using Objective = tn::loss::bind<tn::loss::SoftmaxCrossEntropy, Net, tn::ClassMask<8, 8>>;
#endif
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: tn::ClassMask<H, W> labels must have the height and width of the output
// expect: SoftmaxCrossEntropy.*output<4, 8, 8>.*ClassMask<6, 6>
