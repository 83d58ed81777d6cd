// Learning-rate schedules against their formulas.
#include <catch2/catch.hpp>
#include <cmath>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

TEST_CASE("Learning-rate schedules", "[schedule]") {
  namespace s = tn::schedule;
  const double base = 0.1;
  CHECK(s::Schedule(s::Constant{}).rate(base, 7, 10) == Approx(0.1));
  CHECK(s::Schedule(s::StepDecay{3, 0.5}).rate(base, 7, 10) == Approx(0.1 * 0.25));
  CHECK(s::Schedule(s::Exponential{0.2}).rate(base, 5, 10) == Approx(0.1 * std::exp(-1.0)));
  CHECK(s::Schedule(s::InverseTime{0.5}).rate(base, 4, 10) == Approx(0.1 / 3));
  CHECK(s::Schedule(s::Cosine{}).rate(base, 0, 10) == Approx(0.1));
  CHECK(s::Schedule(s::Cosine{}).rate(base, 5, 10) == Approx(0.05));
  CHECK(s::Schedule(s::Cosine{}).rate(base, 10, 10) == Approx(0).margin(1e-12));
  CHECK(s::Schedule(s::Linear{0.1}).rate(base, 5, 10) == Approx(0.1 * 0.55));
  CHECK(s::Schedule(s::InverseSqrt{}).rate(base, 3, 10) == Approx(0.05));
  // Warm-up over 4 steps: (t + 1) / 5 of the scheduled rate, then the schedule alone.
  const s::Schedule warm(s::Constant{}, 4);
  CHECK(warm.rate(base, 0, 10) == Approx(0.02));
  CHECK(warm.rate(base, 3, 10) == Approx(0.08));
  CHECK(warm.rate(base, 4, 10) == Approx(0.1));
}
