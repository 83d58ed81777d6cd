// DenseNet-121 (Huang et al. 2017, DenseNet-BC) as torchvision builds it: growth rate 32,
// bottleneck width 4 x 32, blocks of 6, 12, 24 and 16 layers, transitions that halve the maps
// (compression 0.5) and the resolution, and a final batch norm. DenseNet-161 (growth 48, 96
// initial maps, blocks of 6, 12, 36, 24), -169 (6, 12, 32, 32) and -201 (6, 12, 48, 32) likewise.
//
// A dense layer is Concat<Identity, H>: its output is its input with H's 32 new maps appended,
// so a block of them is a plain Block, and each layer sees every map before it.
//
// Laid out and named as torchvision's: `features` (conv0, norm0, pool0, denseblock1..4 of
// denselayer1..N with norm1, conv1, norm2, conv2, transition1..3 with norm and conv, norm5), then
// ReLU, global average pooling and `classifier`.
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
#include "typenet/spec/named.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet::models {

namespace densenet {
// BN > ReLU > 1x1 (bottleneck) > BN > ReLU > 3x3 (Growth new maps), beside its input.
template <std::size_t Growth, std::size_t Bottleneck = 4>
using DenseLayer =
    Concat<Identity,
           Inline<Block<Named<"norm1", BatchNorm>, ReLU,
                        Named<"conv1", Conv2D<Bottleneck * Growth, Kernel<1>, Bias<false>>>,
                        Named<"norm2", BatchNorm>, ReLU,
                        Named<"conv2", Conv2D<Growth, Kernel<3>, Pad<1>, Bias<false>>>>>>;

// torchvision counts the layers of a block from 1: denselayer1, denselayer2, ...
template <std::size_t Growth>
struct numbered_layer {
  template <class K>
  using fn = Named<typenet::detail::numbered<"denselayer", K::value + 1>(), DenseLayer<Growth>>;
};
template <std::size_t Layers, std::size_t Growth>
using DenseBlock = boost::mp11::mp_apply<
    Block, boost::mp11::mp_transform_q<numbered_layer<Growth>, boost::mp11::mp_iota_c<Layers>>>;

// BN > ReLU > 1x1 to Out maps > 2x2 average pooling.
template <std::size_t Out>
using Transition =
    Block<Named<"norm", BatchNorm>, ReLU, Named<"conv", Conv2D<Out, Kernel<1>, Bias<false>>>,
          AvgPool2D<Kernel<2>, Stride<2>>>;

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
  using type = Sequential<
      Input<3, 224, 224>,
      Named<
          "features",
          Block<Named<"conv0", Conv2D<Init, Kernel<7>, Stride<2>, Pad<3>, Bias<false>, Floor>>,
                Named<"norm0", BatchNorm>, ReLU, MaxPool2D<Kernel<3>, Stride<2>, Pad<1>, Floor>,
                Named<"denseblock1", DenseBlock<B1, Growth>>, Named<"transition1", Transition<c1>>,
                Named<"denseblock2", DenseBlock<B2, Growth>>, Named<"transition2", Transition<c2>>,
                Named<"denseblock3", DenseBlock<B3, Growth>>, Named<"transition3", Transition<c3>>,
                Named<"denseblock4", DenseBlock<B4, Growth>>, Named<"norm5", BatchNorm>>>,
      ReLU, GlobalAvgPool, Named<"classifier", Dense<Classes>>>;
};
}  // namespace densenet

template <std::size_t Classes = 1000>
using DenseNet121 = typename densenet::net<32, 64, 6, 12, 24, 16, Classes>::type;
// DenseNet-161 (growth 48, 96 initial maps), -169 and -201, as torchvision's.
template <std::size_t Classes = 1000>
using DenseNet161 = typename densenet::net<48, 96, 6, 12, 36, 24, Classes>::type;
template <std::size_t Classes = 1000>
using DenseNet169 = typename densenet::net<32, 64, 6, 12, 32, 32, Classes>::type;
template <std::size_t Classes = 1000>
using DenseNet201 = typename densenet::net<32, 64, 6, 12, 48, 32, Classes>::type;

}  // namespace typenet::models
