// A binary 1 x H x W output with BCE takes a float mask of its shape, not class indices.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<1, tn::Kernel<3>, tn::Pad<1>>>;
#ifdef TYPENET_SHOULD_FAIL
using Objective = tn::loss::bind<tn::loss::BinaryCrossEntropyWithLogits, Net, tn::ClassMask<8, 8>>;
#else
using Objective = tn::loss::bind<tn::loss::BinaryCrossEntropyWithLogits, Net, tn::Shape<1, 8, 8>>;
#endif
[[maybe_unused]] constexpr bool fits = Objective::ok;
// expect: this loss takes no tn::ClassMask<H, W> labels
// expect: BinaryCrossEntropyWithLogits.*output<1, 8, 8>.*ClassMask<8, 8>
