#include <typenet/models/densenet.hpp>

#include "smoke.hpp"

namespace m = typenet::models;

TEST_CASE("DenseNet-121: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::DenseNet121<>>();
}
