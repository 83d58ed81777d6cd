// The worked examples of the CNN lectures, checked by the compiler.
#include <ratio>
#include <typenet/shapes.hpp>

namespace tn = typenet;

namespace {

// 32x32x3 input, 10 filters 5x5, stride 1, pad 2 -> 32x32x10; each filter 5*5*3 + 1 = 76
// parameters, 760 in all.
using Padded =
    tn::bind<tn::Conv2D<10, tn::Kernel<5>, tn::Stride<1>, tn::Pad<2>>, tn::Shape<3, 32, 32>>;
static_assert(Padded::output_shape == tn::Shape<10, 32, 32>{});
static_assert(Padded::parameter_count == 760);
static_assert(Padded::parameter_shape<0>{} == tn::Shape<10, 3, 5, 5>{});
static_assert(Padded::parameter_shape<1>{} == tn::Shape<10>{});

// Six 5x5 filters on 32x32x3 -> 28x28x6, 6 * (75 + 1) = 456 parameters.
using Six = tn::bind<tn::Conv2D<6, tn::Kernel<5>>, tn::Shape<3, 32, 32>>;
static_assert(Six::output_shape == tn::Shape<6, 28, 28>{});
static_assert(Six::parameter_count == 456);

// A 7x7 input and a 3x3 filter: stride 1 -> 5x5, stride 2 -> 3x3 (stride 3 does not fit:
// tests/compile_fail/conv_stride_does_not_tile.cpp).
static_assert(tn::bind<tn::Conv2D<1, tn::Kernel<3>>, tn::Shape<1, 7, 7>>::output_shape ==
              tn::Shape<1, 5, 5>{});
static_assert(
    tn::bind<tn::Conv2D<1, tn::Kernel<3>, tn::Stride<2>>, tn::Shape<1, 7, 7>>::output_shape ==
    tn::Shape<1, 3, 3>{});
// Zero padding of 1 keeps 7x7 with a 3x3 filter at stride 1; in general (F-1)/2.
static_assert(
    tn::bind<tn::Conv2D<1, tn::Kernel<3>, tn::Pad<1>>, tn::Shape<1, 7, 7>>::output_shape ==
    tn::Shape<1, 7, 7>{});
static_assert(
    tn::bind<tn::Conv2D<1, tn::Kernel<7>, tn::Pad<3>>, tn::Shape<1, 7, 7>>::output_shape ==
    tn::Shape<1, 7, 7>{});

// A 1x1 convolution: 64 filters on 56x56x64 -> 56x56x64, each a 64-dimensional dot product.
using Pointwise = tn::bind<tn::Conv2D<64, tn::Kernel<1>>, tn::Shape<64, 56, 56>>;
static_assert(Pointwise::output_shape == tn::Shape<64, 56, 56>{});
static_assert(Pointwise::parameter_count == 64 * 64 + 64);
static_assert(Pointwise::macs == 56 * 56 * 64 * 64);

// AlexNet CONV1: 227x227x3, 96 filters 11x11 at stride 4, pad 0 -> 55x55x96;
// 11*11*3*96 = 34,848 weights + 96 biases = 34,944. POOL1 3x3 stride 2 -> 27x27x96, no
// parameters.
using Conv1 = tn::bind<tn::Conv2D<96, tn::Kernel<11>, tn::Stride<4>>, tn::Shape<3, 227, 227>>;
static_assert(Conv1::output_shape == tn::Shape<96, 55, 55>{});
static_assert(Conv1::parameter_count == 34'944);
using Pool1 = tn::bind<tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>>, tn::Shape<96, 55, 55>>;
static_assert(Pool1::output_shape == tn::Shape<96, 27, 27>{});
static_assert(Pool1::parameter_count == 0);

// The lecture's simplified AlexNet (one GPU, no groups), layer by layer.
using AlexNetLecture =
    tn::Sequential<tn::Input<3, 227, 227>, tn::Conv2D<96, tn::Kernel<11>, tn::Stride<4>>,
                   tn::ReLU,                                              //  0 CONV1  55x55x96
                   tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>>,           //  2 POOL1  27x27x96
                   tn::LocalResponseNorm<5>,                              //  3 NORM1  27x27x96
                   tn::Conv2D<256, tn::Kernel<5>, tn::Pad<2>>, tn::ReLU,  //  4 CONV2  27x27x256
                   tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>>,           //  6 POOL2  13x13x256
                   tn::LocalResponseNorm<5>,                              //  7 NORM2  13x13x256
                   tn::Conv2D<384, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,  //  8 CONV3  13x13x384
                   tn::Conv2D<384, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,  // 10 CONV4  13x13x384
                   tn::Conv2D<256, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,  // 12 CONV5  13x13x256
                   tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>>,           // 14 POOL3  6x6x256
                   tn::Flatten,                                           // 15        9216
                   tn::Dense<4096>, tn::ReLU, tn::Dropout<>,              // 16 FC6    4096
                   tn::Dense<4096>, tn::ReLU, tn::Dropout<>,              // 19 FC7    4096
                   tn::Dense<1000>>;                                      // 22 FC8    1000

static_assert(AlexNetLecture::layer<0>::output_shape == tn::Shape<96, 55, 55>{});
static_assert(AlexNetLecture::layer<2>::output_shape == tn::Shape<96, 27, 27>{});
static_assert(AlexNetLecture::layer<3>::output_shape == tn::Shape<96, 27, 27>{});
static_assert(AlexNetLecture::layer<4>::output_shape == tn::Shape<256, 27, 27>{});
static_assert(AlexNetLecture::layer<6>::output_shape == tn::Shape<256, 13, 13>{});
static_assert(AlexNetLecture::layer<7>::output_shape == tn::Shape<256, 13, 13>{});
static_assert(AlexNetLecture::layer<8>::output_shape == tn::Shape<384, 13, 13>{});
static_assert(AlexNetLecture::layer<10>::output_shape == tn::Shape<384, 13, 13>{});
static_assert(AlexNetLecture::layer<12>::output_shape == tn::Shape<256, 13, 13>{});
static_assert(AlexNetLecture::layer<14>::output_shape == tn::Shape<256, 6, 6>{});
static_assert(AlexNetLecture::layer<15>::output_shape == tn::Shape<9216>{});
static_assert(AlexNetLecture::layer<16>::output_shape == tn::Shape<4096>{});
static_assert(AlexNetLecture::layer<19>::output_shape == tn::Shape<4096>{});
static_assert(AlexNetLecture::output_shape == tn::Shape<1000>{});

static_assert(AlexNetLecture::layer<0>::parameter_count == 34'944);       // 11*11*3*96 + 96
static_assert(AlexNetLecture::layer<2>::parameter_count == 0);            // pooling
static_assert(AlexNetLecture::layer<3>::parameter_count == 0);            // normalisation
static_assert(AlexNetLecture::layer<4>::parameter_count == 614'656);      // 5*5*96*256 + 256
static_assert(AlexNetLecture::layer<8>::parameter_count == 885'120);      // 3*3*256*384 + 384
static_assert(AlexNetLecture::layer<10>::parameter_count == 1'327'488);   // 3*3*384*384 + 384
static_assert(AlexNetLecture::layer<12>::parameter_count == 884'992);     // 3*3*384*256 + 256
static_assert(AlexNetLecture::layer<16>::parameter_count == 37'752'832);  // 9216*4096 + 4096
static_assert(AlexNetLecture::layer<19>::parameter_count == 16'781'312);  // 4096*4096 + 4096
static_assert(AlexNetLecture::layer<22>::parameter_count == 4'097'000);   // 4096*1000 + 1000
static_assert(AlexNetLecture::parameter_count == 62'378'344);
// CONV1: 55*55*96 outputs, each 11*11*3 multiply-accumulates.
static_assert(AlexNetLecture::layer<0>::macs == 55ull * 55 * 96 * 11 * 11 * 3);

}  // namespace
