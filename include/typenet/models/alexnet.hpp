// AlexNet (Krizhevsky et al. 2012) in its two usual forms.
//
// AlexNetLecture: the lectures' one-GPU version, 3 x 227 x 227 in, where every convolution and
// pooling tiles its input exactly (strict arithmetic), with local response normalisation after
// the first two pools: 96-256-384-384-256 maps, then 4096 - 4096 - Classes.
//
// AlexNet: torchvision's (the "one weird trick" variant, Krizhevsky 2014): 3 x 224 x 224 in,
// 64-192-384-256-256 maps, the first convolution floors (224 + 4 - 11 is not a multiple of 4),
// no LRN, and an adaptive average pool to 6 x 6 before the classifier, so other input sizes work.
// Laid out as torchvision's (features, the adaptive pool, classifier), so its state_dict names
// are torchvision's: features.0.weight ... features.10.bias, classifier.1.weight ...
// classifier.6.bias.
#pragma once

#include <cstddef>

#include "typenet/graph/block.hpp"
#include "typenet/graph/sequential.hpp"
#include "typenet/shape/window.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/adaptive_avg_pool2d.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/dropout.hpp"
#include "typenet/spec/flatten.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/local_response_norm.hpp"
#include "typenet/spec/named.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet::models {

namespace alexnet {
using Pool = MaxPool2D<Kernel<3>, Stride<2>>;
template <std::size_t Out>
using Conv3 = Conv2D<Out, Kernel<3>, Pad<1>>;
template <std::size_t Classes>
using Classifier =
    Block<Dense<4096>, ReLU, Dropout<>, Dense<4096>, ReLU, Dropout<>, Dense<Classes>>;
}  // namespace alexnet

template <std::size_t Classes = 1000>
using AlexNetLecture =
    Sequential<Input<3, 227, 227>, Conv2D<96, Kernel<11>, Stride<4>>, ReLU, alexnet::Pool,
               LocalResponseNorm<5>, Conv2D<256, Kernel<5>, Pad<2>>, ReLU, alexnet::Pool,
               LocalResponseNorm<5>, alexnet::Conv3<384>, ReLU, alexnet::Conv3<384>, ReLU,
               alexnet::Conv3<256>, ReLU, alexnet::Pool, Flatten, alexnet::Classifier<Classes>>;

template <std::size_t Classes = 1000, std::size_t Size = 224>
using AlexNet = Sequential<
    Input<3, Size, Size>,
    Named<"features", Block<Conv2D<64, Kernel<11>, Stride<4>, Pad<2>, Floor>, ReLU,
                            MaxPool2D<Kernel<3>, Stride<2>, Floor>, Conv2D<192, Kernel<5>, Pad<2>>,
                            ReLU, MaxPool2D<Kernel<3>, Stride<2>, Floor>, alexnet::Conv3<384>, ReLU,
                            alexnet::Conv3<256>, ReLU, alexnet::Conv3<256>, ReLU,
                            MaxPool2D<Kernel<3>, Stride<2>, Floor>>>,
    AdaptiveAvgPool2D<6>, Flatten,
    Named<"classifier",
          Block<Dropout<>, Dense<4096>, ReLU, Dropout<>, Dense<4096>, ReLU, Dense<Classes>>>>;

}  // namespace typenet::models
