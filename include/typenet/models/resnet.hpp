// ResNet-18/34 (basic blocks) and ResNet-50/101/152 (bottleneck blocks), as torchvision builds
// them (He et al. 2016; torchvision.models.resnet): 224x224 input, stride-2 convolutions and
// pooling with floor rounding, a 1x1 projection (conv + batch norm) where a stage changes shape,
// global average pooling and a Dense classifier. Parameterised by the number of classes.
#pragma once

#include <cstddef>

#include "typenet/graph/sequential.hpp"
#include "typenet/graph/topology.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/normalization.hpp"
#include "typenet/spec/pool.hpp"

namespace typenet::models {

namespace resnet {
template <std::size_t Out, std::size_t K, std::size_t S = 1>
using Conv = Conv2D<Out, Kernel<K>, Stride<S>, Pad<K / 2>, Bias<false>, Floor>;

// 3x3 > BN > ReLU > 3x3 > BN, plus the shortcut, then ReLU.
template <std::size_t Out, std::size_t S, bool Project>
using Basic = Block<
    Residual<Block<Conv<Out, 3, S>, BatchNorm, ReLU, Conv<Out, 3>, BatchNorm>,
             std::conditional_t<Project, Block<Conv<Out, 1, S>, BatchNorm>, Identity>>,
    ReLU>;

// 1x1 > BN > ReLU > 3x3 (stride here, as torchvision's "ResNet v1.5") > BN > ReLU > 1x1 (x4) > BN.
template <std::size_t Width, std::size_t S, bool Project>
using Bottleneck = Block<
    Residual<Block<Conv<Width, 1>, BatchNorm, ReLU, Conv<Width, 3, S>, BatchNorm, ReLU,
                   Conv<4 * Width, 1>, BatchNorm>,
             std::conditional_t<Project, Block<Conv<4 * Width, 1, S>, BatchNorm>, Identity>>,
    ReLU>;

// A stage of N blocks; the first one strides (and projects when the shape changes).
template <template <std::size_t, std::size_t, bool> class Unit, std::size_t Width,
          std::size_t N, std::size_t S, bool ProjectFirst>
struct stage {
  template <class... Blocks>
  struct more;
  using type = typename boost::mp11::mp_apply<
      Block, boost::mp11::mp_push_front<boost::mp11::mp_repeat_c<boost::mp11::mp_list<Unit<Width, 1, false>>, N - 1>,
                                        Unit<Width, S, ProjectFirst>>>;
};
template <template <std::size_t, std::size_t, bool> class Unit, std::size_t Width,
          std::size_t N, std::size_t S, bool ProjectFirst>
using Stage = typename stage<Unit, Width, N, S, ProjectFirst>::type;

template <template <std::size_t, std::size_t, bool> class Unit, bool Bottlenecked,
          std::size_t N1, std::size_t N2, std::size_t N3, std::size_t N4, std::size_t Classes>
using Net = Sequential<Input<3, 224, 224>, Conv<64, 7, 2>, BatchNorm, ReLU,
                       MaxPool2D<Kernel<3>, Stride<2>, Pad<1>, Floor>,
                       Stage<Unit, 64, N1, 1, Bottlenecked>, Stage<Unit, 128, N2, 2, true>,
                       Stage<Unit, 256, N3, 2, true>, Stage<Unit, 512, N4, 2, true>,
                       GlobalAvgPool, Dense<Classes>>;
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

}  // namespace typenet::models
