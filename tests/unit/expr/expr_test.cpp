// Expression templates: values, broadcasting, reductions, derivative rules, and that the
// evaluated expressions really are single SIMD loops without allocation.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <typenet/typenet.hpp>
#include <vector>

#include "../gradcheck.hpp"

namespace tn = typenet;
namespace ex = typenet::expr;
using tn::Shape;

namespace {

template <class E>
constexpr bool vectorised() {
  using Chunk = ex::Chunk<float, ex::Broadcast::scalar>;
  using Eigen = decltype(std::declval<const E&>().eigen(std::declval<const Chunk&>()));
  return (::Eigen::internal::evaluator<Eigen>::Flags & ::Eigen::PacketAccessBit) != 0;
}

using X = ex::Leaf<float, Shape<2, 3>, true>;
using C = ex::Channel<float, 2>;

// Each kind of node keeps Eigen's packet path (a bool comparison or Eigen's Select would not).
static_assert(vectorised<decltype(std::declval<X>() * 2 + 1)>());
static_assert(vectorised<decltype(ex::select(std::declval<X>() > 0, std::declval<X>(), 0))>());
static_assert(vectorised<decltype(ex::max(std::declval<X>() + std::declval<C>(), 0))>());
static_assert(vectorised<decltype(ex::exp(std::declval<X>()) / ex::log(std::declval<X>()))>());
static_assert(vectorised<decltype(ex::tanh(std::declval<X>()) - ex::sigmoid(std::declval<X>()))>());
static_assert(vectorised<decltype(ex::min(std::declval<X>(), 1) <= std::declval<X>())>());
// The derivative of x is the type One, and multiplying by it generates no node.
static_assert(std::is_same_v<decltype(ex::derivative(std::declval<X>())), ex::One>);
static_assert(std::is_same_v<decltype(ex::derivative(std::declval<X>() * 3.0)), ex::Scalar>);
static_assert(std::is_same_v<
              decltype(ex::derivative(ex::ref(std::declval<tn::Tensor<float, Shape<2, 3>>&>()))),
              ex::Zero>);

double numeric_derivative(auto f, double x) {
  const double h = 1e-6;
  return (f(x + h) - f(x - h)) / (2 * h);
}

}  // namespace

TEST_CASE("Element-wise expressions compute what they say, with per-channel broadcasting",
          "[expr]") {
  tn::Tensor<float, Shape<2, 2, 2>> x(3), y(3);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i) - 10;
  const float bias[2] = {0.5f, -2.0f};
  y = ex::max(x * 2 + ex::channel<2>(bias), 0);
  for (std::size_t n = 0; n < 3; ++n)
    for (std::size_t c = 0; c < 2; ++c)
      for (std::size_t i = 0; i < 4; ++i) {
        const float v = x(n, c, i / 2, i % 2);
        REQUIRE(y(n, c, i / 2, i % 2) == std::max(v * 2 + bias[c], 0.0f));
      }
  // Vectors: the channel leaf is a whole vector per sample.
  tn::Tensor<double, Shape<8>> v(2), w(2);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = double(i);
  const double scale[8] = {1, 10, 100, 1000, 1, 10, 100, 1000};
  w = ex::select(v >= 2, v * ex::channel<8>(scale), -v);
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t i = 0; i < 8; ++i) {
      const double value = v(n, i);
      REQUIRE(w(n, i) == (value >= 2 ? value * scale[i] : -value));
    }
}

TEST_CASE("Select never leaks the unused branch (no 0 * inf)", "[expr]") {
  tn::Tensor<float, Shape<16>> x(1), y(1);
  for (std::size_t i = 0; i < 16; ++i) x[i] = i % 2 ? 1000.0f : -1.0f;
  y = ex::select(x > 0, x, ex::exp(x) - 1);  // exp(1000) = inf in the unused branch
  for (std::size_t i = 0; i < 16; ++i) REQUIRE(y[i] == (i % 2 ? 1000.0f : std::exp(-1.0f) - 1));
}

#if !defined(NDEBUG)
// Eigen checks this with eigen_assert, live only in builds with assertions (the sanitizer build).
TEST_CASE("Evaluating an expression does not allocate", "[expr]") {
  tn::Tensor<float, Shape<4, 8, 8>> x(2), y(2);
  const float b[4] = {1, 2, 3, 4};
  Eigen::internal::set_is_malloc_allowed(false);
  y = ex::tanh(x * ex::channel<4>(b)) + ex::sigmoid(x);
  float sums[4];
  ex::reduce_channels<ex::Reduce::sum, Shape<4, 8, 8>>(x * x, 2, sums);
  Eigen::internal::set_is_malloc_allowed(true);
  REQUIRE(y[0] == Approx(0.5f));
}
#endif

TEST_CASE("Mismatched batch sizes are reported", "[expr]") {
  tn::Tensor<float, Shape<3>> a(2), b(3), c(2);
  REQUIRE_THROWS_WITH(c = a + b, Catch::Contains("batch sizes differ"));
}

TEST_CASE("Reductions over samples, channels and everything", "[expr]") {
  tn::Tensor<double, Shape<2, 3>> x(2);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = double(i);
  double per_sample[2];
  ex::reduce_samples<ex::Reduce::sum, Shape<2, 3>>(ex::ref(x), 2, per_sample);
  CHECK(per_sample[0] == 15);
  CHECK(per_sample[1] == 51);
  ex::reduce_samples<ex::Reduce::max, Shape<2, 3>>(ex::ref(x), 2, per_sample);
  CHECK(per_sample[1] == 11);
  ex::reduce_samples<ex::Reduce::mean, Shape<2, 3>>(ex::ref(x), 2, per_sample);
  CHECK(per_sample[0] == Approx(2.5));
  ex::reduce_samples<ex::Reduce::log_sum_exp, Shape<2, 3>>(ex::ref(x) * 1000, 2, per_sample);
  double expected = 0;
  for (int i = 0; i < 6; ++i) expected += std::exp(1000.0 * (i - 5));
  CHECK(per_sample[0] == Approx(5000 + std::log(expected)));  // finite although e^5000 is not
  double per_channel[2];
  ex::reduce_channels<ex::Reduce::sum, Shape<2, 3>>(ex::ref(x), 2, per_channel);
  CHECK(per_channel[0] == 0 + 1 + 2 + 6 + 7 + 8);
  CHECK(per_channel[1] == 3 + 4 + 5 + 9 + 10 + 11);
  CHECK(ex::reduce_all<ex::Reduce::mean, Shape<2, 3>, double>(x * x, 2) ==
        Approx((0 + 1 + 4 + 9 + 16 + 25 + 36 + 49 + 64 + 81 + 100 + 121) / 12.0));
}

TEST_CASE("Derivative rules match finite differences for every node", "[expr][gradient]") {
  tn::Tensor<double, Shape<1>> x(1), d(1), f(1);
  const auto check = [&](auto function, double at) {
    x[0] = at;
    d = ex::derivative(function(ex::var(x)));
    const double numeric = numeric_derivative(
        [&](double v) {
          x[0] = v;
          f = function(ex::var(x));
          return f[0];
        },
        at);
    INFO("at " << at);
    REQUIRE(d[0] == Approx(numeric).epsilon(1e-6).margin(1e-8));
  };
  for (double at : {-1.7, -0.3, 0.4, 2.2}) {
    check([](auto v) { return v * v * 3 - v / 2 + 1; }, at);
    check([](auto v) { return ex::exp(v * 0.5) / (1 + v * v); }, at);
    check([](auto v) { return ex::log(v * v + 1); }, at);
    check([](auto v) { return ex::tanh(v) * ex::sigmoid(-v); }, at);
    check([](auto v) { return ex::sqrt(v * v + 0.5); }, at);
    check([](auto v) { return ex::max(v, 0.1) + ex::min(v * v, 1); }, at);
    check([](auto v) { return ex::select(v > 0, v * v, -v * 2); }, at);
    check([](auto v) { return 2 - v; }, at);
  }
}
