#include <typenet/models/zoo.hpp>

#include "smoke.hpp"

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
