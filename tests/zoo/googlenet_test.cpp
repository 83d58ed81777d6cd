#include <typenet/models/googlenet.hpp>

#include "smoke.hpp"

namespace m = typenet::models;

TEST_CASE("GoogLeNet: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::GoogLeNet<>>();
}
