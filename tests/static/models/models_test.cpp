// Whole networks: LeNet-5, VGG-16 and a deep plain network, shapes and counts.
#include <typenet/shapes.hpp>

namespace tn = typenet;

namespace {

// LeNet-5 as taught: 1x32x32 -> 10, ReLU, 2x2 max pooling; 156 + 2,416 + 48,120 + 10,164 + 850.
using LeNet5 =
    tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Conv2D<16, tn::Kernel<5>>,
                   tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
                   tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;
static_assert(LeNet5::output_shape == tn::Shape<10>{});
static_assert(LeNet5::parameter_count == 61'706);
static_assert(LeNet5::depth == 12);
static_assert(LeNet5::layer<0>::output_shape == tn::Shape<6, 28, 28>{});
static_assert(LeNet5::layer<2>::output_shape == tn::Shape<6, 14, 14>{});
static_assert(LeNet5::layer<3>::output_shape == tn::Shape<16, 10, 10>{});
static_assert(LeNet5::layer<5>::output_shape == tn::Shape<16, 5, 5>{});
static_assert(LeNet5::layer<6>::output_shape == tn::Shape<400>{});
static_assert(LeNet5::layer<3>::input_shape == tn::Shape<6, 14, 14>{});
static_assert(LeNet5::layer<0>::parameter_count == 156);
static_assert(LeNet5::layer<3>::parameter_count == 2'416);
static_assert(LeNet5::layer<7>::parameter_count == 48'120);
// 28*28*6*25 + 10*10*16*150 + 400*120 + 120*84 + 84*10
static_assert(LeNet5::macs == 117'600 + 240'000 + 48'000 + 10'080 + 840);
static_assert(tn::loss::bind<tn::loss::SoftmaxCrossEntropy, LeNet5, tn::ClassIndex>::ok);
static_assert(tn::loss::bind<tn::loss::MSE, LeNet5, tn::Shape<10>>::ok);

// VGG-16 (Simonyan & Zisserman 2015, configuration D): 13 conv + 3 FC. 138,357,544 parameters
// is the figure torchvision documents for vgg16; 15.47 GMACs per 224x224 image.
template <std::size_t C>
using Conv3 = tn::Conv2D<C, tn::Kernel<3>, tn::Pad<1>>;
using Pool = tn::MaxPool2D<tn::Kernel<2>>;
using VGG16 = tn::Sequential<
    tn::Input<3, 224, 224>, Conv3<64>, tn::ReLU, Conv3<64>, tn::ReLU, Pool, Conv3<128>, tn::ReLU,
    Conv3<128>, tn::ReLU, Pool, Conv3<256>, tn::ReLU, Conv3<256>, tn::ReLU, Conv3<256>, tn::ReLU,
    Pool, Conv3<512>, tn::ReLU, Conv3<512>, tn::ReLU, Conv3<512>, tn::ReLU, Pool, Conv3<512>,
    tn::ReLU, Conv3<512>, tn::ReLU, Conv3<512>, tn::ReLU, Pool, tn::Flatten, tn::Dense<4096>,
    tn::ReLU, tn::Dropout<>, tn::Dense<4096>, tn::ReLU, tn::Dropout<>, tn::Dense<1000>>;
static_assert(VGG16::layer<30>::output_shape == tn::Shape<512, 7, 7>{});
static_assert(VGG16::layer<31>::output_shape == tn::Shape<25'088>{});
static_assert(VGG16::output_shape == tn::Shape<1000>{});
static_assert(VGG16::parameter_count == 138'357'544);
static_assert(VGG16::macs == 15'470'264'320ull);

// A deep plain network, 50 layers after Input: what the compile-time budget is measured on.
using Deep50 = tn::Sequential<
    tn::Input<16, 32, 32>, Conv3<16>, tn::BatchNorm, tn::ReLU, Conv3<16>, tn::BatchNorm, tn::ReLU,
    Conv3<16>, tn::BatchNorm, tn::ReLU, Conv3<16>, tn::BatchNorm, tn::ReLU, Conv3<16>,
    tn::BatchNorm, tn::ReLU, Conv3<16>, tn::BatchNorm, tn::ReLU, Pool, Conv3<32>, tn::BatchNorm,
    tn::ReLU, Conv3<32>, tn::BatchNorm, tn::ReLU, Conv3<32>, tn::BatchNorm, tn::ReLU, Conv3<32>,
    tn::BatchNorm, tn::ReLU, Conv3<32>, tn::BatchNorm, tn::ReLU, Conv3<32>, tn::BatchNorm, tn::ReLU,
    Pool, Conv3<64>, tn::BatchNorm, tn::ReLU, Conv3<64>, tn::BatchNorm, tn::ReLU, Conv3<64>,
    tn::BatchNorm, tn::ReLU, Pool, tn::GlobalAvgPool, tn::Dense<10>>;
static_assert(Deep50::depth == 50);
static_assert(Deep50::output_shape == tn::Shape<10>{});
// 6 convs 16->16, 1 conv 16->32, 5 convs 32->32, 1 conv 32->64, 2 convs 64->64, each 3x3 with
// bias, BatchNorm 2 per channel, and the 64->10 classifier.
static_assert(Deep50::parameter_count ==
              6 * (16 * 16 * 9 + 16 + 2 * 16) + (32 * 16 * 9 + 32 + 2 * 32) +
                  5 * (32 * 32 * 9 + 32 + 2 * 32) + (64 * 32 * 9 + 64 + 2 * 64) +
                  2 * (64 * 64 * 9 + 64 + 2 * 64) + 64 * 10 + 10);

}  // namespace
