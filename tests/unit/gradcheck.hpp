// Gradient checks: analytic gradients (backward) against central finite differences, in double.
//
// For a layer f with parameters p, input x and a fixed random r of the output's shape, the scalar
// L = sum(f(x; p) * r) has dL/dx = backward(dy = r) and dL/dp = the parameter gradients. Each
// entry of x and p is moved by +-h and (L+ - L-) / 2h compared with the analytic value.
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <typenet/typenet.hpp>

namespace gradcheck {

namespace tn = typenet;

inline constexpr double step = 1e-6;

struct Worst {
  double error = 0;
  double analytic = 0;
  double numeric = 0;
  std::string where;
  void update(double a, double n, const std::string& name) {
    // Absolute below 1, relative above: the finite difference's own error scales with |n|.
    const double e = std::abs(a - n) / std::max(1.0, std::abs(n));
    if (std::isnan(error)) return;  // a NaN stays the worst
    if (std::isnan(e) || e > error || where.empty()) {
      error = e;
      analytic = a;
      numeric = n;
      where = name;
    }
  }
};

// Compares analytic[i] with the central difference of loss() in values[i], for i < count.
template <class Loss>
void compare(Worst& worst, double* values, const double* analytic, std::size_t count, Loss&& loss,
             const std::string& name) {
  for (std::size_t i = 0; i < count; ++i) {
    const double saved = values[i];
    values[i] = saved + step;
    const double plus = loss();
    values[i] = saved - step;
    const double minus = loss();
    values[i] = saved;
    worst.update(analytic[i], (plus - minus) / (2 * step), name + "[" + std::to_string(i) + "]");
  }
}

template <class T, class S>
void randomise(tn::Tensor<T, S>& t, std::mt19937_64& rng, double lo = -1, double hi = 1) {
  std::uniform_real_distribution<double> u(lo, hi);
  for (auto& v : t.span()) v = T(u(rng));
}

template <class Layer>
void reseed(Layer& layer) {
  if constexpr (requires { layer.seed(1); }) layer.seed(12345);
}

// Checks every input and parameter gradient of Layer<Spec, In, double> at batch `batch`.
template <class Spec, class In>
Worst check_layer(std::size_t batch, tn::Mode mode = tn::Mode::train, std::uint64_t seed = 1,
                  double input_lo = -1, double input_hi = 1) {
  using Out = typename tn::bind<Spec, In>::output_type;
  // Capacity above the checked batch, and a warm-up at the full capacity on other data: stale
  // buffers, gradients left from an earlier step and batch-norm running statistics away from
  // (0, 1) must not leak into the checked pass.
  const std::size_t capacity = batch + 2;
  tn::Layer<Spec, In, double> layer(capacity);
  std::mt19937_64 rng(seed);
  tn::Tensor<double, In> x(capacity), dx(capacity);
  tn::Tensor<double, Out> y(capacity), r(capacity);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  for (auto& p : layer.parameters())
    for (std::size_t i = 0; i < p.size(); ++i) p.value[i] += u(rng);
  for (int warm = 0; warm < 3; ++warm) {
    randomise(x, rng, input_lo + 0.5, input_hi + 0.5);
    randomise(r, rng);
    layer.forward(x, y, tn::Mode::train);
    layer.backward(x, y, r, &dx);
  }
  x.set_batch(batch);
  r.set_batch(batch);
  randomise(x, rng, input_lo, input_hi);
  randomise(r, rng);

  auto loss = [&] {
    reseed(layer);
    layer.forward(x, y, mode);
    double total = 0;
    for (std::size_t i = 0; i < y.size(); ++i) total += y[i] * r[i];
    return total;
  };
  loss();
  layer.backward(x, y, r, &dx);

  Worst worst;
  compare(worst, x.data(), dx.data(), x.size(), loss, "input");
  for (auto& p : layer.parameters()) {
    // A copy: the loss() calls run forward only, but the gradient must be the one from above.
    const std::vector<double> analytic(p.gradient.data(), p.gradient.data() + p.size());
    compare(worst, p.value.data(), analytic.data(), p.size(), loss, std::string(p.name()));
  }
  return worst;
}

inline constexpr double tolerance = 1e-6;

#define GRADCHECK_REQUIRE(worst_expr)                                                    \
  do {                                                                                   \
    const auto worst_ = (worst_expr);                                                    \
    INFO("worst at " << worst_.where << ": analytic " << worst_.analytic << ", numeric " \
                     << worst_.numeric);                                                 \
    REQUIRE(worst_.error < gradcheck::tolerance);                                        \
  } while (false)

}  // namespace gradcheck

namespace gradcheck {

// The same check for a whole network (composite layers included), at batch `batch`.
template <class Net>
Worst check_network(std::size_t batch, std::uint64_t seed = 1, tn::Mode mode = tn::Mode::train) {
  tn::Network<Net, double> net(batch + 1);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] += u(rng);
  tn::Tensor<double, typename Net::input_type> x(batch + 1), dx(batch + 1);
  tn::Tensor<double, typename Net::output_type> r(batch + 1);
  // A warm-up at full capacity on other data, then the checked batch.
  randomise(x, rng);
  randomise(r, rng);
  net.forward(x, tn::Mode::train);
  net.backward(x, r, &dx);
  x.set_batch(batch);
  r.set_batch(batch);
  randomise(x, rng);
  randomise(r, rng);
  const auto loss = [&] {
    const auto& y = net.forward(x, mode);
    double total = 0;
    for (std::size_t i = 0; i < y.size(); ++i) total += y[i] * r[i];
    return total;
  };
  loss();
  net.backward(x, r, &dx);
  Worst worst;
  compare(worst, x.data(), dx.data(), x.size(), loss, "input");
  for (auto* p : net.parameters()) {
    const std::vector<double> analytic(p->gradient.data(), p->gradient.data() + p->size());
    compare(worst, p->value.data(), analytic.data(), p->size(), loss,
            "layer " + std::to_string(p->layer) + " " + std::string(p->name()));
  }
  return worst;
}

}  // namespace gradcheck
