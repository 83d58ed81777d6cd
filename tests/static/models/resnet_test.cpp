// The ResNet family against torchvision's published figures (torchvision.models documentation,
// "Classification" table: parameters and GFLOPS, the latter being multiply-accumulates at
// 224x224): ResNet-18 11,689,512 / 1.81, ResNet-34 21,797,672 / 3.66, ResNet-50 25,557,032 /
// 4.09, ResNet-101 44,549,160 / 7.80, ResNet-152 60,192,808 / 11.51, Wide ResNet-50-2
// 68,883,240 / 11.40, ResNeXt-50 32x4d 25,028,904 / 4.23.
#include <typenet/models/zoo.hpp>
#include <typenet/shapes.hpp>

#include "zoo_figures.hpp"

namespace tn = typenet;
namespace m = typenet::models;

static_assert(m::ResNet18<>::parameter_count == 11'689'512);
static_assert(m::ResNet34<>::parameter_count == 21'797'672);
static_assert(m::ResNet50<>::parameter_count == 25'557'032);
static_assert(m::ResNet101<>::parameter_count == 44'549'160);
static_assert(m::ResNet152<>::parameter_count == 60'192'808);
static_assert(m::WideResNet50_2<>::parameter_count == 68'883'240);
static_assert(m::ResNeXt50_32x4d<>::parameter_count == 25'028'904);

// Multiply-accumulates of the convolutions and the classifier, per image.
static_assert(m::ResNet18<>::macs == 1'814'073'344);    // 1.81 G
static_assert(m::ResNet34<>::macs == 3'663'761'408);    // 3.66 G
static_assert(m::ResNet50<>::macs == 4'089'184'256);    // 4.09 G
static_assert(m::ResNet101<>::macs == 7'801'405'440);   // 7.80 G
static_assert(m::ResNet152<>::macs == 11'513'626'624);  // 11.51 G
static_assert(m::WideResNet50_2<>::macs == 11'398'021'120 &&
              zoo::rounds_to<11'40, 2>(m::WideResNet50_2<>::macs));
static_assert(m::ResNeXt50_32x4d<>::macs == 4'230'479'872 &&
              zoo::rounds_to<4'23, 2>(m::ResNeXt50_32x4d<>::macs));
static_assert(zoo::rounds_to<4'09, 2>(m::ResNet50<>::macs) &&
              zoo::rounds_to<11'51, 2>(m::ResNet152<>::macs));

// Shapes through the stages: 112 after the stem, 56 after pooling, then 56/28/14/7.
static_assert(m::ResNet18<>::layer<3>::output_shape == tn::Shape<64, 56, 56>{});
static_assert(m::ResNet18<>::layer<5>::output_shape == tn::Shape<128, 28, 28>{});
static_assert(m::ResNet50<>::layer<7>::output_shape == tn::Shape<2048, 7, 7>{});
static_assert(m::ResNet50<>::output_shape == tn::Shape<1000>{});
// The classifier follows the class count.
static_assert(m::ResNet18<10>::output_shape == tn::Shape<10>{});
static_assert(m::ResNet18<10>::parameter_count == 11'689'512 - 990 * 513);

// CIFAR ResNet-20 (He et al. 2016, Table 6: 0.27M parameters): 269,722 with the paper's
// zero-padding shortcuts (stem 464, stages 14,016 + 51,072 + 203,520, classifier 650); the two
// projections (1x1 16->32 and 32->64, each with batch norm) add 512 + 64 + 2,048 + 128.
static_assert(m::CifarResNet<3>::parameter_count == 269'722 + 2'752);
static_assert(m::CifarResNet<3>::layer<4>::output_shape == tn::Shape<32, 16, 16>{});
static_assert(m::CifarResNet<3>::layer<5>::output_shape == tn::Shape<64, 8, 8>{});
// On Fashion-MNIST's 28 x 28 the stride-2 stages floor: 28 -> 14 -> 7.
static_assert(m::CifarResNet<1, 10, 1, 28>::layer<5>::output_shape == tn::Shape<64, 7, 7>{});
