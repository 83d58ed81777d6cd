// DenseNet-121 (Huang et al. 2017, DenseNet-BC) as torchvision builds it: growth rate 32,
// bottleneck width 4 x 32, blocks of 6, 12, 24 and 16 layers, transitions that halve the maps
// (compression 0.5) and the resolution, and a final batch norm.
//
// A dense layer is Concat<Identity, H>: its output is its input with H's 32 new maps appended,
// so a block of them is a plain Block, and each layer sees every map before it.
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>

#include "typenet/graph/block.hpp"
#include "typenet/graph/concat.hpp"
#include "typenet/graph/sequential.hpp"
#include "typenet/shape/window.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/batch_norm.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/global_avg_pool.hpp"
#include "typenet/spec/identity.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet::models {

namespace densenet {
// BN > ReLU > 1x1 (bottleneck) > BN > ReLU > 3x3 (Growth new maps), beside its input.
template <std::size_t Growth, std::size_t Bottleneck = 4>
using DenseLayer =
    Concat<Identity, Block<BatchNorm, ReLU, Conv2D<Bottleneck * Growth, Kernel<1>, Bias<false>>,
                           BatchNorm, ReLU, Conv2D<Growth, Kernel<3>, Pad<1>, Bias<false>>>>;

template <std::size_t Layers, std::size_t Growth>
using DenseBlock = boost::mp11::mp_apply<
    Block, boost::mp11::mp_repeat_c<boost::mp11::mp_list<DenseLayer<Growth>>, Layers>>;

// BN > ReLU > 1x1 to Out maps > 2x2 average pooling.
template <std::size_t Out>
using Transition =
    Block<BatchNorm, ReLU, Conv2D<Out, Kernel<1>, Bias<false>>, AvgPool2D<Kernel<2>, Stride<2>>>;

// Maps after a block of Layers layers on In maps.
constexpr std::size_t grown(std::size_t in, std::size_t layers, std::size_t growth) {
  return in + layers * growth;
}

template <std::size_t Growth, std::size_t Init, std::size_t B1, std::size_t B2, std::size_t B3,
          std::size_t B4, std::size_t Classes>
struct net {
  static constexpr std::size_t c1 = grown(Init, B1, Growth) / 2;
  static constexpr std::size_t c2 = grown(c1, B2, Growth) / 2;
  static constexpr std::size_t c3 = grown(c2, B3, Growth) / 2;
  using type =
      Sequential<Input<3, 224, 224>, Conv2D<Init, Kernel<7>, Stride<2>, Pad<3>, Bias<false>, Floor>,
                 BatchNorm, ReLU, MaxPool2D<Kernel<3>, Stride<2>, Pad<1>, Floor>,
                 DenseBlock<B1, Growth>, Transition<c1>, DenseBlock<B2, Growth>, Transition<c2>,
                 DenseBlock<B3, Growth>, Transition<c3>, DenseBlock<B4, Growth>, BatchNorm, ReLU,
                 GlobalAvgPool, Dense<Classes>>;
};
}  // namespace densenet

template <std::size_t Classes = 1000>
using DenseNet121 = typename densenet::net<32, 64, 6, 12, 24, 16, Classes>::type;

}  // namespace typenet::models
