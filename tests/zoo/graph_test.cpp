#include <typenet/models/zoo.hpp>

#include "smoke.hpp"

namespace m = typenet::models;

TEST_CASE("GoogLeNet: a training step at batch 1 on 224x224", "[zoo]") { zoo::smoke_step<m::GoogLeNet<>>(); }
TEST_CASE("DenseNet-121: a training step at batch 1 on 224x224", "[zoo]") {
  zoo::smoke_step<m::DenseNet121<>>();
}
TEST_CASE("U-Net: a training step at batch 1 on 572x572 (388x388 out)", "[zoo][heavy]") {
  zoo::smoke_step<m::UNet<>>();
}
TEST_CASE("U-Net, padded: a training step at batch 1 on 256x256", "[zoo][heavy]") {
  zoo::smoke_step<m::UNetPadded<>>();
}
