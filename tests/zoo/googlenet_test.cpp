#include <typenet/models/googlenet.hpp>

#include "smoke.hpp"
#include "torchvision.hpp"

namespace m = typenet::models;

TEST_CASE("GoogLeNet: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::GoogLeNet<>>();
}

#ifdef TYPENET_TORCHVISION
TEST_CASE("GoogLeNet gives torchvision's googlenet output from its weights", "[zoo][torchvision]") {
  CHECK(zoo::torchvision_difference<m::GoogLeNet<>>("googlenet") <= 1e-4);
}
#endif
