// GoogLeNet (Inception v1; Szegedy et al. 2015) as torchvision builds it, without the auxiliary
// classifiers: every convolution is conv (no bias) > batch norm > ReLU, the max pools between
// stages use ceil mode, and, as in torchvision (its issue #906), the "5x5" branch of each
// Inception module uses a 3x3 kernel, which its published weights and parameter count assume.
// Batch norms use torchvision's eps of 0.001. Named as torchvision names it (conv1..conv3,
// inception3a..inception5b with branch1..branch4, each convolution's conv and bn, fc), so
// torchvision's googlenet(aux_logits=False) state_dict loads as it is; torchvision's
// transform_input (on for its pretrained weights) is not part of the network: normalise inputs
// the way its weights expect before the first layer.
#pragma once

#include <cstddef>
#include <ratio>

#include "typenet/graph/block.hpp"
#include "typenet/graph/concat.hpp"
#include "typenet/graph/sequential.hpp"
#include "typenet/shape/window.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/batch_norm.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/dropout.hpp"
#include "typenet/spec/global_avg_pool.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/named.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet::models {

namespace googlenet {
// torchvision's BasicConv2d: conv, bn (eps 0.001), ReLU.
template <std::size_t Out, std::size_t K, std::size_t S = 1>
using Conv = Block<Named<"conv", Conv2D<Out, Kernel<K>, Stride<S>, Pad<K / 2>, Bias<false>, Floor>>,
                   Named<"bn", BatchNormEps<std::ratio<1, 1000>>>, ReLU>;

// The paper's table columns: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj.
template <std::size_t C1, std::size_t C3r, std::size_t C3, std::size_t C5r, std::size_t C5,
          std::size_t Proj>
using Inception =
    Concat<Named<"branch1", Conv<C1, 1>>, Named<"branch2", Block<Conv<C3r, 1>, Conv<C3, 3>>>,
           Named<"branch3", Block<Conv<C5r, 1>, Conv<C5, 3>>>,
           Named<"branch4", Block<MaxPool2D<Kernel<3>, Stride<1>, Pad<1>, Ceil>, Conv<Proj, 1>>>>;

using Pool = MaxPool2D<Kernel<3>, Stride<2>, Ceil>;
}  // namespace googlenet

template <std::size_t Classes = 1000>
using GoogLeNet = Sequential<
    Input<3, 224, 224>, Named<"conv1", googlenet::Conv<64, 7, 2>>, googlenet::Pool,
    Named<"conv2", googlenet::Conv<64, 1>>, Named<"conv3", googlenet::Conv<192, 3>>,
    googlenet::Pool,
    Named<"inception3a", googlenet::Inception<64, 96, 128, 16, 32, 32>>,    // 256 maps, 28 x 28
    Named<"inception3b", googlenet::Inception<128, 128, 192, 32, 96, 64>>,  // 480
    googlenet::Pool,
    Named<"inception4a", googlenet::Inception<192, 96, 208, 16, 48, 64>>,     // 512, 14 x 14
    Named<"inception4b", googlenet::Inception<160, 112, 224, 24, 64, 64>>,    // 512
    Named<"inception4c", googlenet::Inception<128, 128, 256, 24, 64, 64>>,    // 512
    Named<"inception4d", googlenet::Inception<112, 144, 288, 32, 64, 64>>,    // 528
    Named<"inception4e", googlenet::Inception<256, 160, 320, 32, 128, 128>>,  // 832
    MaxPool2D<Kernel<2>, Stride<2>, Ceil>,
    Named<"inception5a", googlenet::Inception<256, 160, 320, 32, 128, 128>>,  // 832, 7 x 7
    Named<"inception5b", googlenet::Inception<384, 192, 384, 48, 128, 128>>,  // 1024
    GlobalAvgPool, Dropout<std::ratio<1, 5>>, Named<"fc", Dense<Classes>>>;

}  // namespace typenet::models
