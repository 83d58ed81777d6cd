// The examples of docs/residual.md, inception.md, densenet.md, unet.md and heads.md, as written
// there.
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

// docs/residual.md: a ResNeXt bottleneck (256 -> 256, 32 groups).
namespace topology_docs {
using ResNeXtBlock = tn::Residual<tn::Block<
    tn::Conv2D<256, tn::Kernel<1>, tn::Bias<false>>, tn::BatchNorm, tn::ReLU,
    tn::Conv2D<256, tn::Kernel<3>, tn::Pad<1>, tn::Groups<32>, tn::Bias<false>>, tn::BatchNorm, tn::ReLU,
    tn::Conv2D<256, tn::Kernel<1>, tn::Bias<false>>, tn::BatchNorm>>;
static_assert(tn::bind<ResNeXtBlock, tn::Shape<256, 56, 56>>::parameter_count ==
              65'536 + 18'432 + 65'536 + 3 * 512);
}  // namespace topology_docs

// docs/densenet.md
namespace topology_docs {
template <std::size_t Growth>
using DenseLayer = tn::Concat<tn::Identity,
    tn::Block<tn::BatchNorm, tn::ReLU, tn::Conv2D<4 * Growth, tn::Kernel<1>, tn::Bias<false>>,
              tn::BatchNorm, tn::ReLU, tn::Conv2D<Growth, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>>>;
using Block6 = tn::Block<DenseLayer<32>, DenseLayer<32>, DenseLayer<32>,
                         DenseLayer<32>, DenseLayer<32>, DenseLayer<32>>;
using Transition = tn::Block<tn::BatchNorm, tn::ReLU, tn::Conv2D<128, tn::Kernel<1>, tn::Bias<false>>,
                             tn::AvgPool2D<tn::Kernel<2>, tn::Stride<2>>>;
static_assert(tn::bind<Block6, tn::Shape<64, 56, 56>>::output_shape == tn::Shape<256, 56, 56>{});
static_assert(tn::bind<Transition, tn::Shape<256, 56, 56>>::output_shape == tn::Shape<128, 28, 28>{});
}  // namespace topology_docs

// docs/unet.md
namespace topology_docs {
template <std::size_t C, class Inner>
using Level = tn::Block<
    tn::Conv2D<C, tn::Kernel<3>>, tn::ReLU, tn::Conv2D<C, tn::Kernel<3>>, tn::ReLU,
    tn::CropConcat<tn::Identity, tn::Block<tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, Inner,
                                           tn::ConvTranspose2D<C, tn::Kernel<2>, tn::Stride<2>>>>,
    tn::Conv2D<C, tn::Kernel<3>>, tn::ReLU, tn::Conv2D<C, tn::Kernel<3>>, tn::ReLU>;
using Bottom = tn::Block<tn::Conv2D<256, tn::Kernel<3>>, tn::ReLU, tn::Conv2D<256, tn::Kernel<3>>, tn::ReLU>;
using TwoLevels = tn::Sequential<tn::Input<1, 92, 92>, Level<64, Level<128, Bottom>>, tn::Conv2D<2, tn::Kernel<1>>>;
static_assert(TwoLevels::output_shape == tn::Shape<2, 52, 52>{});
}  // namespace topology_docs

// docs/heads.md
namespace topology_docs {
using Detector = tn::Sequential<
    tn::Input<1, 28, 28>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
    tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
    tn::Heads<tn::Head<tn::Dense<10>, tn::loss::SoftmaxCrossEntropy>,
              tn::Head<tn::Block<tn::Dense<32>, tn::ReLU, tn::Dense<4>>, tn::loss::MSE>>>;
static_assert(Detector::output_shape == tn::Shape<10 + 4>{});
}  // namespace topology_docs
