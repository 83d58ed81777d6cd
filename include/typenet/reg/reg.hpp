// Weight penalties added to a loss, with their gradients:
//   L1{l}:            l * sum |w|          gradient l * sign(w)   (0 at w = 0)
//   L2{l}:            l * sum w^2          gradient 2 l w         (the lecture's R(W) = sum W^2)
//   ElasticNet{a, b}: a * sum |w| + b * sum w^2
// applied to the parameters the caller chooses; tn::reg::weights(net.parameters()) picks the
// weight tensors and leaves biases, batch-norm scales and PReLU slopes unpenalised, as usual.
#pragma once

#include <Eigen/Core>
#include <span>
#include <string_view>
#include <vector>

#include "typenet/layers/parameter.hpp"

namespace typenet::reg {

struct L1 {
  double strength;
};
struct L2 {
  double strength;
};
struct ElasticNet {
  double l1;
  double l2;
};

namespace detail {
inline ElasticNet as_elastic(L1 r) { return {r.strength, 0}; }
inline ElasticNet as_elastic(L2 r) { return {0, r.strength}; }
inline ElasticNet as_elastic(ElasticNet r) { return r; }

template <class T>
auto values(Parameter<T>& p) {
  return Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>(p.value.data(), Eigen::Index(p.size()));
}
template <class T>
auto gradients(Parameter<T>& p) {
  return Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>(p.gradient.data(), Eigen::Index(p.size()));
}
}  // namespace detail

template <class T>
std::vector<Parameter<T>*> weights(const std::vector<Parameter<T>*>& all) {
  std::vector<Parameter<T>*> chosen;
  for (auto* p : all)
    if (p->kind == ParameterKind::weight) chosen.push_back(p);
  return chosen;
}

// The penalty's value over the given parameters.
template <class Penalty, class T>
double penalty(Penalty r, std::span<Parameter<T>* const> parameters) {
  const ElasticNet e = detail::as_elastic(r);
  double total = 0;
  for (auto* p : parameters) {
    auto w = detail::values(*p);
    total += e.l1 * double(w.abs().sum()) + e.l2 * double(w.square().sum());
  }
  return total;
}

// Adds the penalty's gradient to the parameters' gradients.
template <class Penalty, class T>
void add_gradient(Penalty r, std::span<Parameter<T>* const> parameters) {
  const ElasticNet e = detail::as_elastic(r);
  for (auto* p : parameters) {
    auto w = detail::values(*p);
    detail::gradients(*p) += T(e.l1) * w.sign() + T(2 * e.l2) * w;
  }
}

}  // namespace typenet::reg
