#include <typenet/models/unet.hpp>

#include "smoke.hpp"

namespace m = typenet::models;

TEST_CASE("U-Net: a training step at batch 1 on 572x572 (388x388 out)", "[zoo][heavy]") {
  zoo::smoke_step<m::UNet<>>();
}
TEST_CASE("U-Net, padded: a training step at batch 1 on 256x256", "[zoo][heavy]") {
  zoo::smoke_step<m::UNetPadded<>>();
}
