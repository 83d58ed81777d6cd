#include <typenet/models/resnet.hpp>

#include "smoke.hpp"
#include "torchvision.hpp"

namespace m = typenet::models;

// ResNet-18 is trained for a few steps in tests/unit/net/topology_test.cpp.
TEST_CASE("ResNet-34: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::ResNet34<>>();
}
TEST_CASE("ResNet-50: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::ResNet50<>>();
}
TEST_CASE("ResNet-101: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::ResNet101<>>();
}
TEST_CASE("ResNet-152: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::ResNet152<>>();
}
TEST_CASE("Wide ResNet-50-2: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::WideResNet50_2<>>();
}
TEST_CASE("ResNeXt-50 32x4d: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::ResNeXt50_32x4d<>>();
}

#ifdef TYPENET_TORCHVISION
TEST_CASE("ResNet-18 gives torchvision's resnet18 output from its weights", "[zoo][torchvision]") {
  CHECK(zoo::torchvision_difference<m::ResNet18<>>("resnet18") <= 1e-4);
}
#endif
