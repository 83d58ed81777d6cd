// Network-level properties: fused equals unfused, a whole network's gradient against finite
// differences, capacity, threads, backward run twice.
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <random>
#include <typenet/typenet.hpp>

#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

namespace {

using Mixed = tn::Sequential<tn::Input<2, 7, 7>, tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
                             tn::Conv2D<4, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>>, tn::ELU<>,
                             tn::MaxPool2D<tn::Kernel<2>>, tn::Flatten, tn::Dense<5>, tn::Tanh,
                             tn::Dense<4, tn::Bias<false>>, tn::Swish, tn::Dense<3>, tn::Sigmoid>;

template <tn::Fusion F>
void run(tn::Network<Mixed, double, F>& net, const tn::Tensor<double, Shape<2, 7, 7>>& x,
         const tn::Tensor<double, Shape<3>>& dy, tn::Tensor<double, Shape<2, 7, 7>>& dx,
         std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-0.6, 0.6);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] = u(rng);
  net.forward(x, tn::Mode::train);
  net.backward(x, dy, &dx);
}

}  // namespace

TEST_CASE("Fused weight layer + activation equals the unfused layers", "[network]") {
  static_assert(tn::Network<Mixed, double>::fused<0>());   // Conv2D + ReLU
  static_assert(tn::Network<Mixed, double>::fused<2>());   // Conv2D + ELU
  static_assert(!tn::Network<Mixed, double>::fused<4>());  // MaxPool2D
  static_assert(tn::Network<Mixed, double>::fused<8>());   // Dense (no bias) + Swish
  static_assert(!tn::Network<Mixed, double, tn::Fusion::off>::fused<0>());

  tn::Network<Mixed, double> fused(3);
  tn::Network<Mixed, double, tn::Fusion::off> plain(3);
  std::mt19937_64 rng(2);
  tn::Tensor<double, Shape<2, 7, 7>> x(3), dx_fused(3), dx_plain(3);
  tn::Tensor<double, Shape<3>> dy(3);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(dy, rng);
  run(fused, x, dy, dx_fused, 9);
  run(plain, x, dy, dx_plain, 9);
  const auto& a = fused.forward(x, tn::Mode::train);
  const auto& b = plain.forward(x, tn::Mode::train);
  for (std::size_t i = 0; i < a.size(); ++i) REQUIRE(a[i] == Approx(b[i]).margin(1e-14));
  for (std::size_t i = 0; i < x.size(); ++i)
    REQUIRE(dx_fused[i] == Approx(dx_plain[i]).margin(1e-14));
  const auto pf = fused.parameters();
  const auto pp = plain.parameters();
  REQUIRE(pf.size() == pp.size());
  for (std::size_t k = 0; k < pf.size(); ++k)
    for (std::size_t i = 0; i < pf[k]->size(); ++i)
      REQUIRE(pf[k]->gradient[i] == Approx(pp[k]->gradient[i]).margin(1e-14));
}

TEST_CASE("A whole fused network's gradients against finite differences", "[network][gradient]") {
  tn::Network<Mixed, double> net(2);
  std::mt19937_64 rng(4);
  tn::Tensor<double, Shape<2, 7, 7>> x(2), dx(2);
  tn::Tensor<double, Shape<3>> r(2);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(r, rng);
  run(net, x, r, dx, 21);
  const auto loss = [&] {
    const auto& y = net.forward(x, tn::Mode::train);
    double total = 0;
    for (std::size_t i = 0; i < y.size(); ++i) total += y[i] * r[i];
    return total;
  };
  gradcheck::Worst worst;
  gradcheck::compare(worst, x.data(), dx.data(), x.size(), loss, "input");
  for (auto* p : net.parameters()) {
    const std::vector<double> analytic(p->gradient.data(), p->gradient.data() + p->size());
    gradcheck::compare(worst, p->value.data(), analytic.data(), p->size(), loss,
                       std::string(p->name()));
  }
  GRADCHECK_REQUIRE(worst);
}

TEST_CASE("Run-time batch beyond the capacity is an error, not an overflow", "[network]") {
  tn::Network<Mixed, float> net(2);
  tn::Tensor<float, Shape<2, 7, 7>> x(3);
  REQUIRE_THROWS_WITH(net.forward(x), Catch::Contains("exceeds the capacity of 2"));
}

TEST_CASE("Threads: same result for 1 and 2 threads, bitwise repeatable for each", "[network]") {
  using Net = tn::Sequential<tn::Input<3, 9, 9>, tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU,
                             tn::Flatten, tn::Dense<6>>;
  tn::Network<Net, float> net(5);
  std::mt19937_64 rng(13);
  tn::Tensor<float, Shape<3, 9, 9>> x(5), dx(5);
  tn::Tensor<float, Shape<6>> dy(5);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(dy, rng);
  std::uniform_real_distribution<float> u(-0.3f, 0.3f);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] = u(rng);
  const auto gradients = [&](std::size_t threads) {
    tn::set_threads(threads);
    net.forward(x, tn::Mode::train);
    net.backward(x, dy, &dx);
    std::vector<float> all(dx.span().begin(), dx.span().end());
    for (auto* p : net.parameters())
      all.insert(all.end(), p->gradient.data(), p->gradient.data() + p->size());
    return all;
  };
  const std::size_t saved = tn::threads();
  const auto one = gradients(1);
  const auto two = gradients(std::min<std::size_t>(2, tn::max_threads()));
  const auto two_again = gradients(std::min<std::size_t>(2, tn::max_threads()));
  tn::set_threads(saved);
  REQUIRE(one.size() == two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    REQUIRE(two[i] == Approx(one[i]).margin(1e-5));
    REQUIRE(two_again[i] == two[i]);
  }
  REQUIRE_THROWS_WITH(tn::set_threads(0), Catch::Contains("between 1 and"));
}

TEST_CASE("Backward runs again with the same result (forward outputs stay intact)", "[network]") {
  tn::Network<Mixed, double> net(2);
  std::mt19937_64 rng(8);
  tn::Tensor<double, Shape<2, 7, 7>> x(2), dx(2), dx_again(2);
  tn::Tensor<double, Shape<3>> dy(2);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(dy, rng);
  run(net, x, dy, dx, 5);
  std::vector<double> first;
  for (auto* p : net.parameters())
    first.insert(first.end(), p->gradient.data(), p->gradient.data() + p->size());
  net.backward(x, dy, &dx_again);
  std::size_t k = 0;
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) REQUIRE(p->gradient[i] == first[k++]);
  for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(dx_again[i] == dx[i]);
}

namespace {
// Records, as each top-level layer is announced, the gradients of every parameter at that
// moment: a layer's gradients must then be final (the values after backward).
struct Recorder : tn::BackwardListener {
  std::vector<tn::Parameter<double>*> parameters;
  std::vector<std::size_t> layers;
  std::vector<std::vector<std::vector<double>>> seen;  // per call, per parameter
  void gradients_ready(std::size_t layer) override {
    layers.push_back(layer);
    auto& now = seen.emplace_back();
    for (auto* p : parameters) now.emplace_back(p->gradient.data(), p->gradient.data() + p->size());
  }
};
using WithBlock =
    tn::Sequential<tn::Input<2, 6, 6>, tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
                   tn::Residual<tn::Block<tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, tn::Tanh,
                                          tn::Conv2D<3, tn::Kernel<1>>>>,
                   tn::Flatten, tn::Dense<4>, tn::Sigmoid, tn::Dense<3>>;
}  // namespace

TEST_CASE("Backward tells its listener of each top-level layer once its gradients are final",
          "[network]") {
  tn::Network<WithBlock, double> net(2);
  std::mt19937_64 rng(12);
  tn::Tensor<double, Shape<2, 6, 6>> x(2);
  tn::Tensor<double, Shape<3>> dy(2);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(dy, rng);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  Recorder recorder;
  recorder.parameters = net.parameters();
  for (auto* p : recorder.parameters)
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] = u(rng), p->gradient[i] = 99;
  net.forward(x, tn::Mode::train);
  // Layer 0 frozen: backward stops above it, and does not announce it.
  for (const bool frozen : {false, true}) {
    net.set_frozen(0, frozen);
    recorder.layers.clear();
    recorder.seen.clear();
    net.backward(x, dy, nullptr, &recorder);
    std::vector<std::size_t> expected;
    for (std::size_t k = tn::Network<WithBlock, double>::depth; k-- > (frozen ? 1 : 0);)
      expected.push_back(k);
    REQUIRE(recorder.layers == expected);
    for (std::size_t call = 0; call < recorder.layers.size(); ++call)
      for (std::size_t q = 0; q < recorder.parameters.size(); ++q) {
        const auto* p = recorder.parameters[q];
        if (p->layer < recorder.layers[call]) continue;  // not yet computed
        for (std::size_t i = 0; i < p->size(); ++i)
          REQUIRE(recorder.seen[call][q][i] == p->gradient[i]);
      }
  }
  // The residual block's parameters (nested) belong to top-level layer 2.
  std::size_t nested = 0;
  for (auto* p : recorder.parameters) nested += p->layer == 2;
  REQUIRE(nested == 4);
}
