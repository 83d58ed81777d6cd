// Every layer spec: output shape, parameter shapes and counts, MACs; rounding policies.
#include <boost/mp11/list.hpp>
#include <ratio>
#include <typenet/shapes.hpp>

namespace tn = typenet;

namespace {

// Shape arithmetic.
static_assert(tn::Shape<3, 32, 32>::rank == 3);
static_assert(tn::Shape<3, 32, 32>::size == 3072);
static_assert(tn::Shape<>::size == 1);
static_assert(tn::Shape<3, 32, 32>{} == tn::Shape<3, 32, 32>{});
static_assert(!(tn::Shape<3, 32, 32>{} == tn::Shape<3, 32, 31>{}));
static_assert(!(tn::Shape<3072>{} == tn::Shape<3, 32, 32>{}));
static_assert(tn::Shape<4, 5, 6>::dim(2) == 6);

// Conv2D: rectangular kernel, stride, pad and dilation per axis.
using Rect =
    tn::bind<tn::Conv2D<4, tn::Kernel<3, 5>, tn::Stride<2, 1>, tn::Pad<1, 2>>, tn::Shape<2, 9, 8>>;
static_assert(Rect::output_shape == tn::Shape<4, 5, 8>{});  // (9+2-3)/2+1, (8+4-5)/1+1
static_assert(Rect::parameter_shape<0>{} == tn::Shape<4, 2, 3, 5>{});
static_assert(Rect::macs == 4 * 5 * 8 * 2 * 3 * 5);
// Options in any order mean the same layer.
static_assert(tn::bind<tn::Conv2D<4, tn::Pad<1, 2>, tn::Stride<2, 1>, tn::Kernel<3, 5>>,
                       tn::Shape<2, 9, 8>>::output_shape == Rect::output_shape);
// Dilation 2: a 3x3 kernel spans 5x5.
static_assert(
    tn::bind<tn::Conv2D<1, tn::Kernel<3>, tn::Dilation<2>>, tn::Shape<1, 9, 9>>::output_shape ==
    tn::Shape<1, 5, 5>{});
static_assert(tn::bind<tn::Conv2D<1, tn::Kernel<3>, tn::Dilation<2>, tn::Pad<2>>,
                       tn::Shape<1, 9, 9>>::output_shape == tn::Shape<1, 9, 9>{});
// Groups: each of G groups sees C/G channels; depthwise when G = C.
using Grouped =
    tn::bind<tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>, tn::Groups<2>>, tn::Shape<4, 6, 6>>;
static_assert(Grouped::parameter_shape<0>{} == tn::Shape<8, 2, 3, 3>{});
static_assert(Grouped::parameter_count == 8 * 2 * 9 + 8);
static_assert(Grouped::macs == 8 * 6 * 6 * 2 * 9);
using Depthwise =
    tn::bind<tn::Conv2D<32, tn::Kernel<3>, tn::Pad<1>, tn::Groups<32>>, tn::Shape<32, 14, 14>>;
static_assert(Depthwise::parameter_count == 32 * 9 + 32);
// Without bias there is one parameter tensor.
using NoBias = tn::bind<tn::Conv2D<8, tn::Kernel<1>, tn::Bias<false>>, tn::Shape<4, 6, 6>>;
static_assert(boost::mp11::mp_size<NoBias::parameter_shapes>::value == 1);
static_assert(NoBias::parameter_count == 32);

// Rounding: torchvision's AlexNet conv1 (224, 11x11, stride 4, pad 2) only fits with Floor:
// (224 + 4 - 11) / 4 = 54.25 -> 55 outputs.
static_assert(tn::bind<tn::Conv2D<64, tn::Kernel<11>, tn::Stride<4>, tn::Pad<2>, tn::Floor>,
                       tn::Shape<3, 224, 224>>::output_shape == tn::Shape<64, 55, 55>{});
// GoogLeNet's pools ceil: 112 -> 56 with a 3x3 window at stride 2 (floor would give 55).
static_assert(tn::bind<tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>, tn::Ceil>,
                       tn::Shape<64, 112, 112>>::output_shape == tn::Shape<64, 56, 56>{});
static_assert(tn::bind<tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>, tn::Floor>,
                       tn::Shape<64, 112, 112>>::output_shape == tn::Shape<64, 55, 55>{});
// Ceil never starts a window in the right padding: 5 with k=2, s=2, pad 1 is the 3 windows
// [-1,0] [1,2] [3,4], and not a fourth one starting at 5, in the padding.
static_assert(tn::bind<tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>, tn::Pad<1>, tn::Ceil>,
                       tn::Shape<1, 5, 5>>::output_shape == tn::Shape<1, 3, 3>{});
// Where the windows tile exactly, all three policies agree.
static_assert(tn::bind<tn::MaxPool2D<tn::Kernel<2>, tn::Ceil>, tn::Shape<3, 8, 8>>::output_shape ==
              tn::bind<tn::MaxPool2D<tn::Kernel<2>>, tn::Shape<3, 8, 8>>::output_shape);
static_assert(tn::bind<tn::MaxPool2D<tn::Kernel<2>, tn::Floor>, tn::Shape<3, 8, 8>>::output_shape ==
              tn::bind<tn::MaxPool2D<tn::Kernel<2>>, tn::Shape<3, 8, 8>>::output_shape);
// Ceil, like PyTorch's ceil_mode, lets a window hang over the edge by less than a stride:
// 2x2 pooling at stride 2 of a 1x1 input gives 1x1, 3x3 at stride 2 of 2x2 gives 1x1.
static_assert(tn::bind<tn::MaxPool2D<tn::Kernel<2>, tn::Ceil>, tn::Shape<3, 1, 1>>::output_shape ==
              tn::Shape<3, 1, 1>{});
static_assert(tn::bind<tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>, tn::Ceil>,
                       tn::Shape<3, 2, 2>>::output_shape == tn::Shape<3, 1, 1>{});

// Pooling: stride defaults to the window; padding allowed up to half the window.
static_assert(tn::bind<tn::AvgPool2D<tn::Kernel<3>, tn::Stride<1>, tn::Pad<1>>,
                       tn::Shape<8, 5, 5>>::output_shape == tn::Shape<8, 5, 5>{});
static_assert(tn::bind<tn::MaxPool2D<tn::Kernel<2>>, tn::Shape<8, 6, 4>>::output_shape ==
              tn::Shape<8, 3, 2>{});
static_assert(tn::bind<tn::GlobalAvgPool, tn::Shape<512, 7, 7>>::output_shape == tn::Shape<512>{});

// Dense and Maxout.
using Fc = tn::bind<tn::Dense<10>, tn::Shape<400>>;
static_assert(Fc::output_shape == tn::Shape<10>{});
static_assert(Fc::parameter_shape<0>{} == tn::Shape<10, 400>{});
static_assert(Fc::parameter_count == 4010 && Fc::macs == 4000);
static_assert(tn::bind<tn::Dense<10, tn::Bias<false>>, tn::Shape<400>>::parameter_count == 4000);
using Max = tn::bind<tn::Maxout<32, 4>, tn::Shape<100>>;
static_assert(Max::output_shape == tn::Shape<32>{});
static_assert(Max::parameter_count == 4 * (100 * 32 + 32));
static_assert(Max::macs == 4 * 100 * 32);

// Shape-preserving layers.
static_assert(tn::bind<tn::Flatten, tn::Shape<16, 5, 5>>::output_shape == tn::Shape<400>{});
static_assert(tn::bind<tn::ReLU, tn::Shape<16, 5, 5>>::output_shape == tn::Shape<16, 5, 5>{});
static_assert(tn::bind<tn::LeakyReLU<>, tn::Shape<7>>::output_shape == tn::Shape<7>{});
static_assert(tn::LeakyReLU<>::slope == 0.01);
static_assert(tn::ELU<std::ratio<1, 2>>::alpha == 0.5);
static_assert(tn::bind<tn::Softmax, tn::Shape<10>>::parameter_count == 0);
static_assert(tn::bind<tn::Dropout<tn::PerMille<250>>, tn::Shape<10>>::output_shape ==
              tn::Shape<10>{});
static_assert(tn::Dropout<tn::PerMille<250>>::probability == 0.25);
static_assert(tn::Dropout<>::probability == 0.5);
// BatchNorm: gamma and beta per channel (running statistics are not parameters).
static_assert(tn::bind<tn::BatchNorm, tn::Shape<64, 8, 8>>::parameter_count == 128);
static_assert(tn::bind<tn::BatchNorm, tn::Shape<100>>::parameter_count == 200);
// PReLU: one slope per channel.
static_assert(tn::bind<tn::PReLU, tn::Shape<64, 8, 8>>::parameter_count == 64);
static_assert(tn::bind<tn::LocalResponseNorm<5>, tn::Shape<96, 27, 27>>::output_shape ==
              tn::Shape<96, 27, 27>{});

// Vectors as input.
using Mlp = tn::Sequential<tn::Input<784>, tn::Dense<256>, tn::Sigmoid, tn::Dense<10>, tn::Softmax>;
static_assert(Mlp::parameter_count == 784 * 256 + 256 + 256 * 10 + 10);
// An Input-only network is the identity.
static_assert(tn::Sequential<tn::Input<5>>::output_shape == tn::Shape<5>{});
static_assert(tn::Sequential<tn::Input<5>>::depth == 0);

// Losses against labels.
static_assert(tn::loss::bind<tn::loss::Hinge, Mlp, tn::ClassIndex>::ok);
static_assert(tn::loss::bind<tn::loss::SoftmaxCrossEntropy, Mlp, tn::Shape<10>>::ok);
static_assert(tn::loss::bind<tn::loss::BinaryCrossEntropyWithLogits, Mlp, tn::Shape<10>>::ok);

}  // namespace
