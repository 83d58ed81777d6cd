// Gradient clipping, applied to the gradients between backward and the optimiser's step:
//   clip_grad_value(parameters, v)  every gradient entry clamped to [-v, v]
//                                   (PyTorch's torch.nn.utils.clip_grad_value_)
//   clip_grad_norm(parameters, m)   all gradients scaled by m / (norm + 1e-6) when their global
//                                   L2 norm exceeds m; returns the norm before clipping
//                                   (torch.nn.utils.clip_grad_norm_, Pascanu et al. 2013)
// Recurrent networks reach for these first: an exploding gradient through many steps becomes
// a step of bounded length instead of a NaN.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>

#include "typenet/layers/parameter.hpp"

namespace typenet {

// train_step's and fit's clipping; 0 leaves that kind off. With both, values are clamped first
// and the norm is taken of the clamped gradients.
struct GradientClipping {
  double max_norm = 0;   // clip_grad_norm's max_norm
  double max_value = 0;  // clip_grad_value's clip_value
};

namespace detail {
inline void require_positive_clip(double limit, const char* what) {
  if (!(limit > 0) || !std::isfinite(limit))
    throw std::invalid_argument(std::string(what) + ": the limit must be finite and > 0, not " +
                                std::to_string(limit));
}
}  // namespace detail

template <class T>
void clip_grad_value(std::span<Parameter<T>* const> parameters, double max_value) {
  detail::require_positive_clip(max_value, "clip_grad_value");
  const T limit = T(max_value);
  for (auto* p : parameters) {
    T* g = p->gradient.data();
    for (std::size_t i = 0; i < p->size(); ++i) g[i] = std::clamp(g[i], -limit, limit);
  }
}

// The global L2 norm of every gradient, summed in double.
template <class T>
double gradient_norm(std::span<Parameter<T>* const> parameters) {
  double total = 0;
  for (auto* p : parameters) {
    const T* g = p->gradient.data();
    double sum = 0;
    for (std::size_t i = 0; i < p->size(); ++i) sum += double(g[i]) * double(g[i]);
    total += sum;
  }
  return std::sqrt(total);
}

template <class T>
double clip_grad_norm(std::span<Parameter<T>* const> parameters, double max_norm) {
  detail::require_positive_clip(max_norm, "clip_grad_norm");
  const double norm = gradient_norm(parameters);
  const double coefficient = max_norm / (norm + 1e-6);
  if (coefficient < 1)
    for (auto* p : parameters) {
      T* g = p->gradient.data();
      for (std::size_t i = 0; i < p->size(); ++i) g[i] = T(double(g[i]) * coefficient);
    }
  return norm;
}

template <class T>
void clip(std::span<Parameter<T>* const> parameters, const GradientClipping& clipping) {
  if (clipping.max_value != 0) clip_grad_value(parameters, clipping.max_value);
  if (clipping.max_norm != 0) clip_grad_norm(parameters, clipping.max_norm);
}

}  // namespace typenet
