// ResNet-18/34 (basic blocks), ResNet-50/101/152 (bottleneck blocks), Wide ResNet-50-2 and
// ResNeXt-50 32x4d, as torchvision builds them (He et al. 2016; torchvision.models.resnet):
// 224x224 input, stride-2 convolutions and pooling with floor rounding, a 1x1 projection (conv +
// batch norm) where a stage changes shape, global average pooling and a Dense classifier.
// Parameterised by the number of classes.
//
// Named as torchvision names them (spec/named.hpp): conv1, bn1, layer1..layer4 (each an
// nn.Sequential of blocks), fc; inside a block conv1, bn1, conv2, bn2 (, conv3, bn3) and the
// projection's downsample.0 / downsample.1. The Residual and its branch are Inline: torchvision's
// block module holds its convolutions directly.
#pragma once

#include <cstddef>

#include "typenet/graph/block.hpp"
#include "typenet/graph/residual.hpp"
#include "typenet/graph/sequential.hpp"
#include "typenet/shape/window.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/batch_norm.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/global_avg_pool.hpp"
#include "typenet/spec/identity.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/named.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet::models {

namespace resnet {
template <std::size_t Out, std::size_t K, std::size_t S = 1>
using Conv = Conv2D<Out, Kernel<K>, Stride<S>, Pad<K / 2>, Bias<false>, Floor>;

// 3x3 > BN > ReLU > 3x3 > BN, plus the shortcut, then ReLU.
// The projection shortcut, torchvision's downsample.
template <std::size_t Out, std::size_t S, bool Project>
using Downsample =
    std::conditional_t<Project, Named<"downsample", Block<Conv<Out, 1, S>, BatchNorm>>, Identity>;

template <std::size_t Out, std::size_t S, bool Project>
using Basic = Block<
    Inline<Residual<Inline<Block<Named<"conv1", Conv<Out, 3, S>>, Named<"bn1", BatchNorm>, ReLU,
                                 Named<"conv2", Conv<Out, 3>>, Named<"bn2", BatchNorm>>>,
                    Downsample<Out, S, Project>>>,
    ReLU>;

// 1x1 > BN > ReLU > 3x3 (stride here, as torchvision's "ResNet v1.5") > BN > ReLU > 1x1 (to
// 4 x Planes) > BN. The inner width is Planes * BaseWidth / 64 * Groups, as in torchvision:
// ResNet (1, 64) keeps Planes, Wide ResNet-50-2 (1, 128) doubles it, ResNeXt-50 32x4d (32, 4)
// doubles it and splits the 3x3 into 32 groups.
template <std::size_t Groups, std::size_t BaseWidth>
struct bottleneck {
  template <std::size_t Planes, std::size_t S, bool Project>
  using unit = Block<
      Inline<Residual<
          Inline<Block<Named<"conv1", Conv<Planes * BaseWidth / 64 * Groups, 1>>,
                       Named<"bn1", BatchNorm>, ReLU,
                       Named<"conv2", Conv2D<Planes * BaseWidth / 64 * Groups, Kernel<3>, Stride<S>,
                                             Pad<1>, typenet::Groups<Groups>, Bias<false>, Floor>>,
                       Named<"bn2", BatchNorm>, ReLU, Named<"conv3", Conv<4 * Planes, 1>>,
                       Named<"bn3", BatchNorm>>>,
          Downsample<4 * Planes, S, Project>>>,
      ReLU>;
};
template <std::size_t Planes, std::size_t S, bool Project>
using Bottleneck = typename bottleneck<1, 64>::template unit<Planes, S, Project>;

// A stage of N blocks; the first one strides (and projects when the shape changes).
template <template <std::size_t, std::size_t, bool> class Unit, std::size_t Width, std::size_t N,
          std::size_t S, bool ProjectFirst>
struct stage {
  using type = typename boost::mp11::mp_apply<
      Block, boost::mp11::mp_push_front<
                 boost::mp11::mp_repeat_c<boost::mp11::mp_list<Unit<Width, 1, false>>, N - 1>,
                 Unit<Width, S, ProjectFirst>>>;
};
template <template <std::size_t, std::size_t, bool> class Unit, std::size_t Width, std::size_t N,
          std::size_t S, bool ProjectFirst>
using Stage = typename stage<Unit, Width, N, S, ProjectFirst>::type;

template <template <std::size_t, std::size_t, bool> class Unit, bool Bottlenecked, std::size_t N1,
          std::size_t N2, std::size_t N3, std::size_t N4, std::size_t Classes>
using Net = Sequential<
    Input<3, 224, 224>, Named<"conv1", Conv<64, 7, 2>>, Named<"bn1", BatchNorm>, ReLU,
    MaxPool2D<Kernel<3>, Stride<2>, Pad<1>, Floor>,
    Named<"layer1", Stage<Unit, 64, N1, 1, Bottlenecked>>,
    Named<"layer2", Stage<Unit, 128, N2, 2, true>>, Named<"layer3", Stage<Unit, 256, N3, 2, true>>,
    Named<"layer4", Stage<Unit, 512, N4, 2, true>>, GlobalAvgPool, Named<"fc", Dense<Classes>>>;
}  // namespace resnet

template <std::size_t Classes = 1000>
using ResNet18 = resnet::Net<resnet::Basic, false, 2, 2, 2, 2, Classes>;
template <std::size_t Classes = 1000>
using ResNet34 = resnet::Net<resnet::Basic, false, 3, 4, 6, 3, Classes>;
template <std::size_t Classes = 1000>
using ResNet50 = resnet::Net<resnet::Bottleneck, true, 3, 4, 6, 3, Classes>;
template <std::size_t Classes = 1000>
using ResNet101 = resnet::Net<resnet::Bottleneck, true, 3, 4, 23, 3, Classes>;
template <std::size_t Classes = 1000>
using ResNet152 = resnet::Net<resnet::Bottleneck, true, 3, 8, 36, 3, Classes>;

// Wide ResNet-50-2 (Zagoruyko & Komodakis 2016, torchvision's ImageNet form): ResNet-50 with
// twice the inner width of every bottleneck.
template <std::size_t Classes = 1000>
using WideResNet50_2 =
    resnet::Net<resnet::bottleneck<1, 128>::template unit, true, 3, 4, 6, 3, Classes>;
// ResNeXt-50 32x4d (Xie et al. 2017): 32 groups of 4 channels in the first stage's 3x3.
template <std::size_t Classes = 1000>
using ResNeXt50_32x4d =
    resnet::Net<resnet::bottleneck<32, 4>::template unit, true, 3, 4, 6, 3, Classes>;

// The CIFAR ResNets of He et al. 2016 (section 4.2): a 3x3 stem of Width maps, three stages of
// N basic blocks at Width, 2 x Width (stride 2) and 4 x Width (stride 2), global average pooling
// and a Dense classifier: 6N + 2 weight layers (N = 1: ResNet-8, N = 3: ResNet-20). The paper's
// shortcuts pad with zeros where a stage changes shape (option A); these project with a 1x1
// convolution and batch norm (option B), as the ImageNet ResNets above do. Any C x H x W input:
// 1 x 28 x 28 for Fashion-MNIST, 3 x 32 x 32 for CIFAR-10. Named like the ImageNet ResNets
// (conv1, bn1, layer1..layer3, fc).
template <std::size_t N, std::size_t Classes = 10, std::size_t C = 3, std::size_t H = 32,
          std::size_t W = H, std::size_t Width = 16>
using CifarResNet =
    Sequential<Input<C, H, W>, Named<"conv1", resnet::Conv<Width, 3>>, Named<"bn1", BatchNorm>,
               ReLU, Named<"layer1", resnet::Stage<resnet::Basic, Width, N, 1, false>>,
               Named<"layer2", resnet::Stage<resnet::Basic, 2 * Width, N, 2, true>>,
               Named<"layer3", resnet::Stage<resnet::Basic, 4 * Width, N, 2, true>>, GlobalAvgPool,
               Named<"fc", Dense<Classes>>>;

}  // namespace typenet::models
