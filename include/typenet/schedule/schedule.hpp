// Learning-rate schedules: the factor the base rate is multiplied by at step t of T (fit counts
// steps in epochs), with an optional linear warm-up over the first `warmup` steps.
//   Constant                1
//   StepDecay{every, gamma} gamma^floor(t / every)
//   Exponential{k}          e^(-k t)
//   InverseTime{k}          1 / (1 + k t)
//   Cosine{}                (1 + cos(pi t / T)) / 2
//   Linear{end}             1 + (end - 1) t / T
//   InverseSqrt{}           1 / sqrt(1 + t)
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numbers>

namespace typenet::schedule {

struct Constant {
  double factor(std::size_t, std::size_t) const { return 1; }
};
struct StepDecay {
  std::size_t every = 10;
  double gamma = 0.1;
  double factor(std::size_t t, std::size_t) const {
    return std::pow(gamma, double(t / std::max<std::size_t>(every, 1)));
  }
};
struct Exponential {
  double k = 0.1;
  double factor(std::size_t t, std::size_t) const { return std::exp(-k * double(t)); }
};
struct InverseTime {
  double k = 0.1;
  double factor(std::size_t t, std::size_t) const { return 1 / (1 + k * double(t)); }
};
struct Cosine {
  double factor(std::size_t t, std::size_t total) const {
    return 0.5 *
           (1 + std::cos(std::numbers::pi * double(t) / double(std::max<std::size_t>(total, 1))));
  }
};
struct Linear {
  double end = 0;
  double factor(std::size_t t, std::size_t total) const {
    return 1 + (end - 1) * double(t) / double(std::max<std::size_t>(total, 1));
  }
};
struct InverseSqrt {
  double factor(std::size_t t, std::size_t) const { return 1 / std::sqrt(1 + double(t)); }
};

// Any of the above, with a linear warm-up from 0 over the first `warmup` steps.
class Schedule {
 public:
  Schedule() : Schedule(Constant{}) {}
  template <class S>
  Schedule(S s, std::size_t warmup = 0)  // NOLINT: implicit, so options read {.schedule = Cosine{}}
      : factor_([s](std::size_t t, std::size_t total) { return s.factor(t, total); }),
        warmup_(warmup) {}

  double rate(double base, std::size_t t, std::size_t total) const {
    const double warm = warmup_ > 0 && t < warmup_ ? double(t + 1) / double(warmup_ + 1) : 1;
    return base * warm * factor_(t, total);
  }

 private:
  std::function<double(std::size_t, std::size_t)> factor_;
  std::size_t warmup_;
};

}  // namespace typenet::schedule
