// LeNet-5 as the lectures teach it (LeCun et al. 1998, with ReLU and max pooling): 1 x 32 x 32
// in, 5x5 convolutions to 6 and 16 maps, 2x2 pooling, then 120 - 84 - Classes.
#pragma once

#include <cstddef>

#include "typenet/graph/sequential.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/flatten.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet::models {

template <std::size_t Classes = 10, std::size_t Channels = 1>
using LeNet5 =
    Sequential<Input<Channels, 32, 32>, Conv2D<6, Kernel<5>>, ReLU, MaxPool2D<Kernel<2>, Stride<2>>,
               Conv2D<16, Kernel<5>>, ReLU, MaxPool2D<Kernel<2>, Stride<2>>, Flatten, Dense<120>,
               ReLU, Dense<84>, ReLU, Dense<Classes>>;

}  // namespace typenet::models
