// GoogLeNet and DenseNet-121: Inception modules and dense blocks as Concat, shapes through the
// stages, parameter counts and multiply-accumulates per 224 x 224 image.
//
// Source: torchvision's documentation, "Table of all available classification weights"
// (https://pytorch.org/vision/stable/models.html): googlenet 6,624,904 parameters, 1.50 GFLOPS;
// densenet121 7,978,856, 2.83 GFLOPS ("GFLOPS" there are multiply-accumulates).
#include <typenet/models/zoo.hpp>
#include <typenet/shapes.hpp>

#include "zoo_figures.hpp"

namespace tn = typenet;
namespace m = typenet::models;

using GoogLeNet = m::GoogLeNet<>;
static_assert(GoogLeNet::layer<1>::output_shape == tn::Shape<64, 56, 56>{});    // ceil mode
static_assert(GoogLeNet::layer<5>::output_shape == tn::Shape<256, 28, 28>{});   // 3a
static_assert(GoogLeNet::layer<6>::output_shape == tn::Shape<480, 28, 28>{});   // 3b
static_assert(GoogLeNet::layer<11>::output_shape == tn::Shape<528, 14, 14>{});  // 4d
static_assert(GoogLeNet::layer<12>::output_shape == tn::Shape<832, 14, 14>{});  // 4e
static_assert(GoogLeNet::layer<15>::output_shape == tn::Shape<1024, 7, 7>{});   // 5b
static_assert(GoogLeNet::output_shape == tn::Shape<1000>{});
static_assert(GoogLeNet::parameter_count == 6'624'904);
static_assert(GoogLeNet::macs == 1'498'376'192 && zoo::rounds_to<1'50, 2>(GoogLeNet::macs));

using DenseNet121 = m::DenseNet121<>;
// 64 maps + 6 x 32 = 256, halved to 128; + 12 x 32 = 512 -> 256; + 24 x 32 = 1024 -> 512;
// + 16 x 32 = 1024.
// features (torchvision's layout): conv0, norm0, relu0, pool0, denseblock1, transition1, ...
using Features121 = zoo::inner<DenseNet121::layer<0>>;
static_assert(Features121::layer<4>::output_shape == tn::Shape<256, 56, 56>{});
static_assert(Features121::layer<5>::output_shape == tn::Shape<128, 28, 28>{});
static_assert(Features121::layer<7>::output_shape == tn::Shape<256, 14, 14>{});
static_assert(Features121::layer<9>::output_shape == tn::Shape<512, 7, 7>{});
static_assert(Features121::layer<10>::output_shape == tn::Shape<1024, 7, 7>{});
static_assert(DenseNet121::layer<0>::output_shape == tn::Shape<1024, 7, 7>{});
static_assert(DenseNet121::output_shape == tn::Shape<1000>{});
static_assert(DenseNet121::parameter_count == 7'978'856);
static_assert(DenseNet121::macs == 2'834'161'664 && zoo::rounds_to<2'83, 2>(DenseNet121::macs));

// DenseNet-161, -169, -201: torchvision's 28,681,000 / 7.73, 14,149,480 / 3.36, 20,013,928 / 4.29.
static_assert(m::DenseNet161<>::parameter_count == 28'681'000);
static_assert(zoo::rounds_to<7'73, 2>(m::DenseNet161<>::macs));
static_assert(m::DenseNet169<>::parameter_count == 14'149'480);
static_assert(zoo::rounds_to<3'36, 2>(m::DenseNet169<>::macs));
static_assert(m::DenseNet201<>::parameter_count == 20'013'928);
static_assert(zoo::rounds_to<4'29, 2>(m::DenseNet201<>::macs));
