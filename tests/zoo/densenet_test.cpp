#include <typenet/models/densenet.hpp>

#include "smoke.hpp"
#include "torchvision.hpp"

namespace m = typenet::models;

TEST_CASE("DenseNet-121: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::DenseNet121<>>();
}

#ifdef TYPENET_TORCHVISION
TEST_CASE("DenseNet-121 gives torchvision's densenet121 output from its weights",
          "[zoo][torchvision]") {
  CHECK(zoo::torchvision_difference<m::DenseNet121<>>("densenet121") <= 1e-4);
}
#endif
