// "No step allocates after the first" for DropConnect, Shakeout and Whiteout: their masks,
// perturbed weights and noise are buffers of the layer, the weight swap exchanges buffers.
#include <ratio>
#include <typenet/layers/drop_connect.hpp>
#include <typenet/layers/shakeout.hpp>
#include <typenet/layers/whiteout.hpp>

#include "steps.hpp"

namespace tn = typenet;

TEST_CASE("DropConnect, Shakeout and Whiteout allocate nothing after the first step",
          "[allocation]") {
  constexpr std::size_t batch = 32;
  using Vector = tn::Sequential<tn::Input<256>, tn::DropConnect<tn::Dense<64>>, tn::ReLU,
                                tn::Shakeout<tn::Dense<32>, std::ratio<1, 4>, std::ratio<1, 10>>,
                                tn::Tanh, tn::Whiteout<tn::Dense<3>, std::ratio<1, 5>>>;
  // The Conv2D forms of all three (listed.cmake checks the names only, so these are named here).
  using Image =
      tn::Sequential<tn::Input<3, 16, 16>,
                     tn::DropConnect<tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>>, tn::ReLU,
                     tn::Shakeout<tn::Conv2D<8, tn::Kernel<3>, tn::Groups<2>>>, tn::ReLU,
                     tn::Whiteout<tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>, std::ratio<1, 5>>,
                     tn::Flatten, tn::Dense<3>>;
  allocation::require_no_allocation<Vector>(batch);
  allocation::require_no_allocation<Image>(batch);
}
