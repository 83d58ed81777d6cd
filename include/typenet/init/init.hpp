// Initialisers: how Model fills its weight tensors (ParameterKind::weight); biases stay zero,
// batch-norm scales one and PReLU slopes 0.25, as their layers construct them.
//   Xavier/Glorot (Glorot & Bengio 2010; torch.nn.init.xavier_uniform_/xavier_normal_):
//     uniform on +-sqrt(6 / (fan_in + fan_out)), or normal with std sqrt(2 / (fan_in + fan_out))
//   He/Kaiming (He et al. 2015; torch.nn.init.kaiming_uniform_/kaiming_normal_ for ReLU):
//     uniform on +-sqrt(6 / fan_in), or normal with std sqrt(2 / fan_in)
#pragma once

#include <cmath>
#include <cstddef>
#include <random>
#include <type_traits>

#include "typenet/layers/parameter.hpp"

namespace typenet {

namespace init {

// Weights drawn with the fan-in/fan-out of each weight tensor (Glorot & Bengio 2010; He et al.
// 2015); biases stay zero and batch-norm scales one, as constructed.
struct XavierUniform {};
struct XavierNormal {};
struct HeUniform {};
struct HeNormal {};
using Xavier = XavierUniform;
using He = HeNormal;
struct Zeros {};
struct Constant {
  double value;
};
// Any callable (Parameter<T>&, std::mt19937_64&) that fills a weight tensor.
template <class F>
struct Function {
  F fill;
};
template <class F>
Function(F) -> Function<F>;  // clang 14 does not deduce aggregates by itself

template <class T, class Init>
void fill(Parameter<T>& p, const Init& init, std::mt19937_64& rng) {
  const double fan_in = double(p.fan_in), fan_out = double(p.fan_out);
  auto draw = [&](auto distribution) {
    for (std::size_t i = 0; i < p.size(); ++i) p.value[i] = T(distribution(rng));
  };
  if constexpr (std::is_same_v<Init, XavierUniform>) {
    const double a = std::sqrt(6.0 / (fan_in + fan_out));
    draw(std::uniform_real_distribution<double>(-a, a));
  } else if constexpr (std::is_same_v<Init, XavierNormal>) {
    draw(std::normal_distribution<double>(0, std::sqrt(2.0 / (fan_in + fan_out))));
  } else if constexpr (std::is_same_v<Init, HeUniform>) {
    const double a = std::sqrt(6.0 / fan_in);
    draw(std::uniform_real_distribution<double>(-a, a));
  } else if constexpr (std::is_same_v<Init, HeNormal>) {
    draw(std::normal_distribution<double>(0, std::sqrt(2.0 / fan_in)));
  } else if constexpr (std::is_same_v<Init, Zeros>) {
    for (std::size_t i = 0; i < p.size(); ++i) p.value[i] = T(0);
  } else if constexpr (std::is_same_v<Init, Constant>) {
    for (std::size_t i = 0; i < p.size(); ++i) p.value[i] = T(init.value);
  } else {
    init.fill(p, rng);
  }
}
}  // namespace init

}  // namespace typenet
