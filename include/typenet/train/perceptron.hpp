// Rosenblatt's perceptron and its learning rule, for the lecture's first classifier: with
// labels y in {-1, +1} and the input extended by a constant 1 (the bias),
//   predict(x) = sign(w . x),   and on a mistake   w <- w + y x.
// It converges on linearly separable data (AND, OR) and never on XOR.
#pragma once

#include <array>
#include <cstddef>

namespace typenet {

template <std::size_t N>
class Perceptron {
 public:
  // +1 or -1.
  int predict(const std::array<double, N>& x) const { return score(x) > 0 ? 1 : -1; }
  double score(const std::array<double, N>& x) const {
    double s = w_[N];
    for (std::size_t i = 0; i < N; ++i) s += w_[i] * x[i];
    return s;
  }
  // One application of the rule; returns whether the sample was misclassified (and learned from).
  bool learn(const std::array<double, N>& x, int y) {
    if (predict(x) == y) return false;
    for (std::size_t i = 0; i < N; ++i) w_[i] += y * x[i];
    w_[N] += y;
    return true;
  }
  const std::array<double, N + 1>& weights() const { return w_; }  // the last is the bias

 private:
  std::array<double, N + 1> w_{};
};

}  // namespace typenet
