// U-Net (Ronneberger et al. 2015): a contracting path of two 3x3 convolutions and a 2x2 max
// pool per level, 64 maps doubling to 1024; an expanding path of 2x2 up-convolutions
// (ConvTranspose2D) halving the maps, each joined with the contracting path's maps at that
// level and followed by two 3x3 convolutions; a 1x1 convolution to the classes.
//
// UNet: the paper's, with valid (unpadded) convolutions: 572 x 572 in, 388 x 388 out, each skip
// centre-cropped to the up-sampled path (CropConcat). The input size must keep every pooled
// size even and every crop centred; Size = 572 or any other that does (e.g. 188 -> 4).
// UNetPadded: padded 3x3 convolutions keep the sizes, nothing is cropped; Size divisible by 16.
#pragma once

#include <cstddef>

#include "typenet/graph/block.hpp"
#include "typenet/graph/concat.hpp"
#include "typenet/graph/sequential.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/conv_transpose2d.hpp"
#include "typenet/spec/identity.hpp"
#include "typenet/spec/input.hpp"
#include "typenet/spec/options.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet::models {

namespace unet {
template <std::size_t Out, std::size_t Pad>
using Twice = Block<Conv2D<Out, Kernel<3>, typenet::Pad<Pad>>, ReLU,
                    Conv2D<Out, Kernel<3>, typenet::Pad<Pad>>, ReLU>;

// One level of maps Out: two convolutions, then the skip beside (pool > Inner > up-conv to Out),
// then two convolutions on the joined maps.
template <std::size_t Out, std::size_t Pad, class Inner>
using Level = Block<Twice<Out, Pad>,
                    CropConcat<Identity, Block<MaxPool2D<Kernel<2>, Stride<2>>, Inner,
                                               ConvTranspose2D<Out, Kernel<2>, Stride<2>>>>,
                    Twice<Out, Pad>>;

template <std::size_t Pad>
using Body = Level<64, Pad, Level<128, Pad, Level<256, Pad, Level<512, Pad, Twice<1024, Pad>>>>>;
}  // namespace unet

template <std::size_t Classes = 2, std::size_t Channels = 1, std::size_t Size = 572>
using UNet = Sequential<Input<Channels, Size, Size>, unet::Body<0>, Conv2D<Classes, Kernel<1>>>;

template <std::size_t Classes = 2, std::size_t Channels = 1, std::size_t Size = 256>
using UNetPadded =
    Sequential<Input<Channels, Size, Size>, unet::Body<1>, Conv2D<Classes, Kernel<1>>>;

}  // namespace typenet::models
