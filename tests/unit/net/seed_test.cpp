// Randomness in nested topologies: every Dropout anywhere in the tree draws its own mask stream,
// derived from the model's seed and its position.
#include <catch2/catch.hpp>
#include <ratio>
#include <typenet/typenet.hpp>

namespace tn = typenet;

namespace {

using Half = tn::Dropout<std::ratio<1, 2>>;
using Nested = tn::Sequential<
    tn::Input<2, 4, 4>, Half, tn::Block<Half, tn::Block<Half>>,
    tn::Residual<tn::Block<Half, tn::Conv2D<2, tn::Kernel<1>>>>,
    tn::Residual<tn::Block<tn::Conv2D<2, tn::Kernel<1>>>, tn::Block<Half>>, tn::Concat<Half, Half>,
    tn::Conv2D<2, tn::Kernel<1>>,
    tn::Heads<tn::Head<tn::Block<Half, tn::Flatten, tn::Dense<3>>, tn::loss::SoftmaxCrossEntropy>,
              tn::Head<tn::Block<tn::Flatten, tn::Dense<2>>, tn::loss::SoftmaxCrossEntropy>>>;

using Masks = std::vector<std::vector<float>>;

template <class Network>
void collect(Network& network, Masks& masks);

// Walks a layer: a dropout's mask, and the networks a composite layer holds (found by what the
// layer offers, so a new composite with chain()/branch()/branch<K>() is walked too).
template <class L>
void collect_layer(L& layer, Masks& masks) {
  if constexpr (requires { layer.mask(); })
    masks.emplace_back(layer.mask().data(), layer.mask().data() + layer.mask().size());
  if constexpr (requires { layer.chain(); }) collect(layer.chain(), masks);
  if constexpr (requires {
                  layer.branch();
                  layer.shortcut();
                }) {
    collect(layer.branch(), masks);
    collect(layer.shortcut(), masks);
  }
  if constexpr (requires { L::branch_count; }) [&]<std::size_t... K>(std::index_sequence<K...>) {
      (collect(layer.template branch<K>(), masks), ...);
    }
  (std::make_index_sequence<L::branch_count>{});
}

template <class Network>
void collect(Network& network, Masks& masks) {
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (collect_layer(network.template layer<K>(), masks), ...);
  }
  (std::make_index_sequence<Network::depth>{});
}

Masks masks_after_one_pass(std::uint64_t seed) {
  tn::Model<Nested> model{tn::init::He{}, seed, 4};
  tn::Tensor<float, tn::Shape<2, 4, 4>> x(4);
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i % 7) / 7;
  model.network().forward(x, tn::Mode::train);
  Masks masks;
  collect(model.network(), masks);
  return masks;
}

}  // namespace

TEST_CASE("Every dropout in a nested topology draws its own mask, repeatable by seed",
          "[network][dropout][seed]") {
  const Masks first = masks_after_one_pass(7);
  // Top level, Block, Block in Block, Residual branch, Residual shortcut, two Concat branches,
  // a head's Block.
  REQUIRE(first.size() == 8);
  for (std::size_t a = 0; a < first.size(); ++a) {
    INFO("dropout " << a);
    REQUIRE(first[a].size() == 4 * 32);
    const auto kept =
        std::count_if(first[a].begin(), first[a].end(), [](float m) { return m > 0; });
    CHECK(kept > 32);  // about half of 128
    CHECK(kept < 96);
    for (std::size_t b = 0; b < a; ++b) CHECK(first[a] != first[b]);
  }
  CHECK(masks_after_one_pass(7) == first);
  const Masks other = masks_after_one_pass(8);
  REQUIRE(other.size() == first.size());
  for (std::size_t a = 0; a < first.size(); ++a) CHECK(other[a] != first[a]);
}

TEST_CASE("stream_seed separates positions and parents", "[network][seed]") {
  using tn::detail::stream_seed;
  CHECK(stream_seed(1, 0) != stream_seed(1, 1));
  CHECK(stream_seed(1, 0) != stream_seed(2, 0));
  // A child's stream is not its parent's sibling's: position 1 under 0 is not position 0 under 1.
  CHECK(stream_seed(stream_seed(5, 0), 1) != stream_seed(stream_seed(5, 1), 0));
}
