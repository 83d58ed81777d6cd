// The ResNet family against torchvision's published figures (torchvision.models documentation,
// "Classification" table: parameters and GFLOPS, the latter being multiply-accumulates at
// 224x224): ResNet-18 11,689,512 / 1.81, ResNet-34 21,797,672 / 3.66, ResNet-50 25,557,032 /
// 4.09, ResNet-101 44,549,160 / 7.80, ResNet-152 60,192,808 / 11.51.
#include <typenet/models/resnet.hpp>
#include <typenet/shapes.hpp>

namespace tn = typenet;
namespace m = typenet::models;

static_assert(m::ResNet18<>::parameter_count == 11'689'512);
static_assert(m::ResNet34<>::parameter_count == 21'797'672);
static_assert(m::ResNet50<>::parameter_count == 25'557'032);
static_assert(m::ResNet101<>::parameter_count == 44'549'160);
static_assert(m::ResNet152<>::parameter_count == 60'192'808);

// Multiply-accumulates of the convolutions and the classifier, per image.
static_assert(m::ResNet18<>::macs == 1'814'073'344);    // 1.81 G
static_assert(m::ResNet34<>::macs == 3'663'761'408);    // 3.66 G
static_assert(m::ResNet50<>::macs == 4'089'184'256);    // 4.09 G
static_assert(m::ResNet101<>::macs == 7'801'405'440);   // 7.80 G
static_assert(m::ResNet152<>::macs == 11'513'626'624);  // 11.51 G

// Shapes through the stages: 112 after the stem, 56 after pooling, then 56/28/14/7.
static_assert(m::ResNet18<>::layer<3>::output_shape == tn::Shape<64, 56, 56>{});
static_assert(m::ResNet18<>::layer<5>::output_shape == tn::Shape<128, 28, 28>{});
static_assert(m::ResNet50<>::layer<7>::output_shape == tn::Shape<2048, 7, 7>{});
static_assert(m::ResNet50<>::output_shape == tn::Shape<1000>{});
// The classifier follows the class count.
static_assert(m::ResNet18<10>::output_shape == tn::Shape<10>{});
static_assert(m::ResNet18<10>::parameter_count == 11'689'512 - 990 * 513);
