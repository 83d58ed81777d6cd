// LeNet-5, both AlexNets, VGG-11/13/16/19 with and without batch norm: output shapes, parameter
// counts and multiply-accumulates per image.
//
// Sources: torchvision's documentation, "Table of all available classification weights"
// (https://pytorch.org/vision/stable/models.html), whose "Params" are the parameter counts and
// whose "GFLOPS" are multiply-accumulates (convolutions and linear layers) at 224 x 224, given to
// two decimals. The lecture AlexNet's figures are the lectures' layer table (62,378,344).
#include <typenet/models/zoo.hpp>
#include <typenet/shapes.hpp>

#include "zoo_figures.hpp"

namespace tn = typenet;
namespace m = typenet::models;

// LeNet-5: 156 + 2,416 + 48,120 + 10,164 + 850.
static_assert(m::LeNet5<>::output_shape == tn::Shape<10>{});
static_assert(m::LeNet5<>::parameter_count == 61'706);
static_assert(m::LeNet5<>::macs == 416'520);

// AlexNet as in the lecture: 227 x 227, strict arithmetic, LRN.
static_assert(m::AlexNetLecture<>::layer<14>::output_shape == tn::Shape<256, 6, 6>{});
static_assert(m::AlexNetLecture<>::output_shape == tn::Shape<1000>{});
static_assert(m::AlexNetLecture<>::parameter_count == 62'378'344);
static_assert(m::AlexNetLecture<>::macs == 1'135'256'096);

// AlexNet as in torchvision: 61,100,840 parameters, 0.71 GFLOPS.
// features, avgpool, classifier as in torchvision.
static_assert(zoo::inner<m::AlexNet<>::layer<0>>::layer<0>::output_shape ==
              tn::Shape<64, 55, 55>{});  // floored
static_assert(m::AlexNet<>::layer<0>::output_shape == tn::Shape<256, 6, 6>{});
static_assert(m::AlexNet<>::output_shape == tn::Shape<1000>{});
static_assert(m::AlexNet<>::parameter_count == 61'100'840);
static_assert(m::AlexNet<>::macs == 714'188'480);
static_assert(zoo::rounds_to<71, 2>(m::AlexNet<>::macs));
// The adaptive pool makes the classifier independent of the input size.
static_assert(m::AlexNet<10, 256>::parameter_count == m::AlexNet<10>::parameter_count);

// VGG: vgg11 132,863,336 / 7.61; vgg11_bn 132,868,840; vgg13 133,047,848 / 11.31;
// vgg13_bn 133,053,736; vgg16 138,357,544 / 15.47; vgg16_bn 138,365,992; vgg19 143,667,240 /
// 19.63; vgg19_bn 143,678,248 (batch norm adds 2 parameters per map and no MACs here).
static_assert(m::VGG<11>::parameter_count == 132'863'336);
static_assert(m::VGG<11, true>::parameter_count == 132'868'840);
static_assert(m::VGG<13>::parameter_count == 133'047'848);
static_assert(m::VGG<13, true>::parameter_count == 133'053'736);
static_assert(m::VGG<16>::parameter_count == 138'357'544);
static_assert(m::VGG<16, true>::parameter_count == 138'365'992);
static_assert(m::VGG<19>::parameter_count == 143'667'240);
static_assert(m::VGG<19, true>::parameter_count == 143'678'248);
static_assert(m::VGG<11>::macs == 7'609'090'048 && zoo::rounds_to<7'61, 2>(m::VGG<11>::macs));
static_assert(m::VGG<13>::macs == 11'308'466'176 && zoo::rounds_to<11'31, 2>(m::VGG<13>::macs));
static_assert(m::VGG<16>::macs == 15'470'264'320 && zoo::rounds_to<15'47, 2>(m::VGG<16>::macs));
static_assert(m::VGG<19>::macs == 19'632'062'464 && zoo::rounds_to<19'63, 2>(m::VGG<19>::macs));
static_assert(m::VGG<16, true>::macs == m::VGG<16>::macs);
static_assert(m::VGG<19, true>::layer<0>::output_shape == tn::Shape<512, 7, 7>{});  // features
static_assert(zoo::inner<m::VGG<19, true>::layer<0>>::depth == 16 * 3 + 5);
static_assert(m::VGG<11>::output_shape == tn::Shape<1000>{});
static_assert(m::VGG<16, false, 10>::output_shape == tn::Shape<10>{});
