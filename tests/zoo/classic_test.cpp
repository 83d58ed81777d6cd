#include <typenet/models/zoo.hpp>

#include "smoke.hpp"
#include "torchvision.hpp"

namespace m = typenet::models;

TEST_CASE("LeNet-5: a training step at batch 1 on 1x32x32", "[zoo]") {
  zoo::smoke_step<m::LeNet5<>>();
}
TEST_CASE("AlexNet (lecture): a training step at batch 1 on 227x227", "[zoo]") {
  zoo::smoke_step<m::AlexNetLecture<>>();
}
TEST_CASE("AlexNet (torchvision): a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::AlexNet<>>();
}
TEST_CASE("VGG-11: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::VGG<11>>();
}
TEST_CASE("VGG-13-BN: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::VGG<13, true>>();
}
TEST_CASE("VGG-16: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::VGG<16>>();
}
TEST_CASE("VGG-19-BN: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::VGG<19, true>>();
}

#ifdef TYPENET_TORCHVISION
TEST_CASE("VGG-16 gives torchvision's vgg16 output from its weights", "[zoo][torchvision]") {
  CHECK(zoo::torchvision_difference<m::VGG<16>>("vgg16") <= 1e-4);
}
TEST_CASE("VGG-16-BN gives torchvision's vgg16_bn output from its weights", "[zoo][torchvision]") {
  CHECK(zoo::torchvision_difference<m::VGG<16, true>>("vgg16_bn") <= 1e-4);
}
TEST_CASE("AlexNet gives torchvision's alexnet output from its weights", "[zoo][torchvision]") {
  CHECK(zoo::torchvision_difference<m::AlexNet<>>("alexnet") <= 1e-4);
}
#endif
