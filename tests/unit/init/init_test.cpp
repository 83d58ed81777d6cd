// Initialisers: spread and seeding.
#include <catch2/catch.hpp>
#include <cmath>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

TEST_CASE("Initialisers draw with the right spread", "[init]") {
  tn::Parameter<double> p(tn::ParameterKind::weight, 40000, /*fan_in=*/100, /*fan_out=*/300);
  std::mt19937_64 rng(1);
  const auto variance = [&] {
    double sum = 0, squares = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      sum += p.value[i];
      squares += p.value[i] * p.value[i];
    }
    const double mean = sum / double(p.size());
    return squares / double(p.size()) - mean * mean;
  };
  tn::init::fill(p, tn::init::HeNormal{}, rng);
  CHECK(variance() == Approx(2.0 / 100).epsilon(0.05));
  tn::init::fill(p, tn::init::HeUniform{}, rng);
  CHECK(variance() == Approx(2.0 / 100).epsilon(0.05));
  tn::init::fill(p, tn::init::XavierNormal{}, rng);
  CHECK(variance() == Approx(2.0 / 400).epsilon(0.05));
  tn::init::fill(p, tn::init::XavierUniform{}, rng);
  CHECK(variance() == Approx(2.0 / 400).epsilon(0.05));
  tn::init::fill(p, tn::init::Constant{0.5}, rng);
  CHECK(p.value[123] == 0.5);
  tn::init::fill(p, tn::init::Function{[](tn::Parameter<double>& q, std::mt19937_64&) {
                   for (std::size_t i = 0; i < q.size(); ++i) q.value[i] = double(i);
                 }},
                 rng);
  CHECK(p.value[7] == 7);
}
