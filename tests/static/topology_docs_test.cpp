// The examples of docs/topologies.md, as written there.
#include <typenet/shapes.hpp>

namespace tn = typenet;

namespace topology_docs {
using Basic = tn::Residual<tn::Block<
    tn::Conv2D<64, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>, tn::BatchNorm, tn::ReLU,
    tn::Conv2D<64, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>, tn::BatchNorm>>;
using Down = tn::Residual<
    tn::Block<tn::Conv2D<128, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::Bias<false>, tn::Floor>,
              tn::BatchNorm, tn::ReLU,
              tn::Conv2D<128, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>, tn::BatchNorm>,
    tn::Block<tn::Conv2D<128, tn::Kernel<1>, tn::Stride<2>, tn::Bias<false>, tn::Floor>,
              tn::BatchNorm>>;
using Stage = tn::Sequential<tn::Input<64, 56, 56>, Basic, tn::ReLU, Down, tn::ReLU>;
static_assert(tn::bind<Basic, tn::Shape<64, 56, 56>>::parameter_count == 73'984);

// torchvision's ResNet-18 layer2 (the first down-sampling stage) starts with this block:
// 3x3 64->128 (73,728) + BN (256) + 3x3 128->128 (147,456) + BN (256) + 1x1 64->128 (8,192)
// + BN (256) = 230,144 parameters.
static_assert(Stage::layer<2>::parameter_count == 230'144);
static_assert(Stage::output_shape == tn::Shape<128, 28, 28>{});

using Inception = tn::Concat<
    tn::Block<tn::Conv2D<64, tn::Kernel<1>>, tn::ReLU>,
    tn::Block<tn::Conv2D<96, tn::Kernel<1>>, tn::ReLU, tn::Conv2D<128, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU>,
    tn::Block<tn::MaxPool2D<tn::Kernel<3>, tn::Stride<1>, tn::Pad<1>>, tn::Conv2D<32, tn::Kernel<1>>, tn::ReLU>>;
static_assert(tn::bind<Inception, tn::Shape<192, 28, 28>>::output_shape == tn::Shape<224, 28, 28>{});
}  // namespace topology_docs
