// VGG-11/13/16/19 (Simonyan & Zisserman 2015, configurations A, B, D, E) as torchvision builds
// them: five stages of 3x3 convolutions (padding 1, with bias) and 2x2 max pooling, an adaptive
// average pool to 7 x 7, then 4096 - 4096 - Classes with dropout. VGG<N, true> puts a batch norm
// after every convolution (torchvision's vgg*_bn).
//
// Laid out as torchvision's: `features` (one flat chain: conv, [bn,] relu, ..., pool), the
// adaptive pool, and `classifier`, so the state_dict names are torchvision's (features.0.weight,
// features.1.running_var, classifier.6.bias).
#pragma once

#include <array>
#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <type_traits>

#include "typenet/graph/block.hpp"
#include "typenet/graph/sequential.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/adaptive_avg_pool2d.hpp"
#include "typenet/spec/batch_norm.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/dropout.hpp"
#include "typenet/spec/flatten.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/named.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet::models {

namespace vgg {
template <std::size_t Out, bool Norm>
using Unit =
    std::conditional_t<Norm, boost::mp11::mp_list<Conv2D<Out, Kernel<3>, Pad<1>>, BatchNorm, ReLU>,
                       boost::mp11::mp_list<Conv2D<Out, Kernel<3>, Pad<1>>, ReLU>>;
// N units of Out maps, then 2x2 pooling, as a list of layers.
template <std::size_t Out, std::size_t N, bool Norm>
using Stage = boost::mp11::mp_push_back<
    boost::mp11::mp_apply<boost::mp11::mp_append,
                          boost::mp11::mp_repeat_c<boost::mp11::mp_list<Unit<Out, Norm>>, N>>,
    MaxPool2D<Kernel<2>, Stride<2>>>;

// Convolutions per stage of each configuration (A, B, D, E).
template <std::size_t Depth>
struct config {
  static_assert(Depth == 11 || Depth == 13 || Depth == 16 || Depth == 19,
                "VGG<Depth, ...> exists for Depth 11, 13, 16 and 19 (configurations A, B, D, E)");
  static constexpr std::array<std::size_t, 5> n =
      Depth == 11   ? std::array<std::size_t, 5>{1, 1, 2, 2, 2}
      : Depth == 13 ? std::array<std::size_t, 5>{2, 2, 2, 2, 2}
      : Depth == 16 ? std::array<std::size_t, 5>{2, 2, 3, 3, 3}
                    : std::array<std::size_t, 5>{2, 2, 4, 4, 4};
};
}  // namespace vgg

namespace vgg {
template <std::size_t Depth, bool Norm>
using Features = boost::mp11::mp_apply<
    Block, boost::mp11::mp_append<
               Stage<64, config<Depth>::n[0], Norm>, Stage<128, config<Depth>::n[1], Norm>,
               Stage<256, config<Depth>::n[2], Norm>, Stage<512, config<Depth>::n[3], Norm>,
               Stage<512, config<Depth>::n[4], Norm>>>;
}  // namespace vgg

template <std::size_t Depth, bool BatchNormed = false, std::size_t Classes = 1000,
          std::size_t Size = 224>
using VGG = Sequential<Input<3, Size, Size>, Named<"features", vgg::Features<Depth, BatchNormed>>,
                       AdaptiveAvgPool2D<7>, Flatten,
                       Named<"classifier", Block<Dense<4096>, ReLU, Dropout<>, Dense<4096>, ReLU,
                                                 Dropout<>, Dense<Classes>>>>;

}  // namespace typenet::models
