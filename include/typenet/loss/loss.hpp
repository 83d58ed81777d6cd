// Loss values and their gradients with respect to the network's output.
//
//   double loss = tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, scores, labels, &dscores);
//
// Labels are class indices (std::span<const int>, one per sample) or a target tensor of the
// output's shape, as spec/loss.hpp checks at compile time. Reductions follow PyTorch's default
// ('mean'): MSE, L1 and the binary cross-entropies average over every element; softmax
// cross-entropy, NLL and hinge average over the samples. The gradient (optional) is of that mean.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "typenet/expr/expr.hpp"
#include "typenet/expr/tensor.hpp"
#include "typenet/spec/loss.hpp"

namespace typenet::loss {

namespace detail {
inline void check_labels(std::size_t batch, std::size_t classes, std::span<const int> labels,
                         const char* loss) {
  if (labels.size() != batch)
    throw std::invalid_argument(std::string(loss) + ": " + std::to_string(labels.size()) +
                                " labels for a batch of " + std::to_string(batch));
  for (std::size_t n = 0; n < batch; ++n)
    if (labels[n] < 0 || std::size_t(labels[n]) >= classes)
      throw std::invalid_argument(std::string(loss) + ": label " + std::to_string(labels[n]) +
                                  " of sample " + std::to_string(n) +
                                  " is not a class index in [0, " + std::to_string(classes) + ")");
}
template <class T, class S>
void check_target(const Tensor<T, S>& output, const Tensor<T, S>& target, const char* loss) {
  if (target.batch() != output.batch())
    throw std::invalid_argument(std::string(loss) + ": a target batch of " +
                                std::to_string(target.batch()) + " for an output batch of " +
                                std::to_string(output.batch()));
}
template <class T, class S>
void prepare(Tensor<T, S>* gradient, std::size_t batch) {
  if (gradient != nullptr) gradient->set_batch(batch);
}
}  // namespace detail

// mean over elements of (y - t)^2
template <class T, class S>
double compute(MSE, const Tensor<T, S>& y, const Tensor<T, S>& t, Tensor<T, S>* dy = nullptr) {
  detail::check_target(y, t, "MSE");
  const double count = double(y.size());
  const auto diff = y - t;
  const double value = expr::reduce_all<expr::Reduce::sum, S, T>(diff * diff, y.batch()) / count;
  detail::prepare(dy, y.batch());
  if (dy != nullptr) *dy = (2.0 / count) * diff;
  return value;
}

// mean over elements of |y - t|; the gradient at y == t is 0, as PyTorch's sign().
template <class T, class S>
double compute(L1, const Tensor<T, S>& y, const Tensor<T, S>& t, Tensor<T, S>* dy = nullptr) {
  detail::check_target(y, t, "L1");
  const double count = double(y.size());
  const auto diff = y - t;
  const auto magnitude = expr::max(diff, -diff);
  const double value = expr::reduce_all<expr::Reduce::sum, S, T>(magnitude, y.batch()) / count;
  detail::prepare(dy, y.batch());
  if (dy != nullptr)
    *dy = expr::select(diff > 0, 1.0 / count, expr::select(diff < 0, -1.0 / count, 0));
  return value;
}

// Binary cross-entropy on probabilities p: -(t log p + (1 - t) log(1 - p)), logs clamped at
// -100 as PyTorch does so that p = 0 or 1 gives a finite loss.
template <class T, class S>
double compute(BinaryCrossEntropy, const Tensor<T, S>& p, const Tensor<T, S>& t,
               Tensor<T, S>* dp = nullptr) {
  detail::check_target(p, t, "BinaryCrossEntropy");
  const double count = double(p.size());
  const auto log_p = expr::max(expr::log(p), -100.0);
  const auto log_q = expr::max(expr::log(1 - p), -100.0);
  const double value =
      -expr::reduce_all<expr::Reduce::sum, S, T>(t * log_p + (1 - t) * log_q, p.batch()) / count;
  detail::prepare(dp, p.batch());
  // d/dp = (p - t) / (p (1 - p)), kept finite at p = 0 or 1 by the same clamp, as 1e-12.
  if (dp != nullptr) *dp = (p - t) / (count * expr::max(p * (1 - p), 1e-12));
  return value;
}

// Binary cross-entropy on logits z, in the stable form max(z, 0) - z t + log(1 + e^-|z|).
template <class T, class S>
double compute(BinaryCrossEntropyWithLogits, const Tensor<T, S>& z, const Tensor<T, S>& t,
               Tensor<T, S>* dz = nullptr) {
  detail::check_target(z, t, "BinaryCrossEntropyWithLogits");
  const double count = double(z.size());
  const auto magnitude = expr::max(z, -z);
  const double value =
      expr::reduce_all<expr::Reduce::sum, S, T>(
          expr::max(z, 0) - z * t + expr::log(1 + expr::exp(-magnitude)), z.batch()) /
      count;
  detail::prepare(dz, z.batch());
  if (dz != nullptr) *dz = (expr::sigmoid(z) - t) / count;
  return value;
}

namespace detail {
// Softmax cross-entropy with class labels at `pixels` positions per sample: the score of sample
// n, class c, position p is z[(n * classes + c) * pixels + p] (pixels = 1: a class per sample;
// H * W: a class per pixel of an NCHW output). PyTorch's CrossEntropyLoss(weight, ignore_index,
// reduction='mean'): sum of w[y] (lse - z_y) over the labels not ignored, divided by the sum of
// their w[y]. `where(n, p)` names a label in an error. Stable for any logits: the log-sum-exp
// is shifted by the maximum.
template <class T, class Where>
double cross_entropy(const SoftmaxCrossEntropy& loss, const T* z, std::size_t batch,
                     std::size_t classes, std::size_t pixels, std::span<const int> labels, T* dz,
                     Where where) {
  const auto weights = loss.weight.values();
  if (!weights.empty() && weights.size() != classes)
    throw std::invalid_argument("SoftmaxCrossEntropy: " + std::to_string(weights.size()) +
                                " class weights for " + std::to_string(classes) + " classes");
  for (std::size_t c = 0; c < weights.size(); ++c)
    if (!std::isfinite(weights[c]) || weights[c] < 0)
      throw std::invalid_argument("SoftmaxCrossEntropy: the weight of class " + std::to_string(c) +
                                  " is " + std::to_string(weights[c]) +
                                  " (class weights must be finite and >= 0)");
  const auto weight_of = [&](int label) { return weights.empty() ? 1.0 : weights[label]; };
  double denominator = 0;
  std::size_t counted = 0;
  for (std::size_t n = 0; n < batch; ++n)
    for (std::size_t p = 0; p < pixels; ++p) {
      const int label = labels[n * pixels + p];
      if (label == loss.ignore_index) continue;
      if (label < 0 || std::size_t(label) >= classes)
        throw std::invalid_argument("SoftmaxCrossEntropy: label " + std::to_string(label) + " of " +
                                    where(n, p) + " is not a class index in [0, " +
                                    std::to_string(classes) + ") (nor ignore_index, " +
                                    std::to_string(loss.ignore_index) + ")");
      denominator += weight_of(label);
      ++counted;
    }
  if (!(denominator > 0))
    throw std::invalid_argument(
        counted == 0 ? "SoftmaxCrossEntropy: every label of the batch is ignore_index (" +
                           std::to_string(loss.ignore_index) +
                           "): the mean has no term (PyTorch's would be NaN)"
                     : std::string("SoftmaxCrossEntropy: the class weights of the batch's labels "
                                   "sum to 0: the weighted mean is undefined"));
  double total = 0;
  const std::size_t stride = classes * pixels;
  for (std::size_t n = 0; n < batch; ++n)
    for (std::size_t p = 0; p < pixels; ++p) {
      const int label = labels[n * pixels + p];
      const T* row = z + n * stride + p;
      T* grad = dz != nullptr ? dz + n * stride + p : nullptr;
      if (label == loss.ignore_index) {
        if (grad != nullptr)
          for (std::size_t c = 0; c < classes; ++c) grad[c * pixels] = T(0);
        continue;
      }
      T peak = row[0];
      for (std::size_t c = 1; c < classes; ++c) peak = std::max(peak, row[c * pixels]);
      double sum = 0;
      for (std::size_t c = 0; c < classes; ++c) sum += std::exp(double(row[c * pixels] - peak));
      const double lse = double(peak) + std::log(sum);
      const double scale = weight_of(label) / denominator;
      total += weight_of(label) * (lse - double(row[std::size_t(label) * pixels]));
      if (grad == nullptr) continue;
      for (std::size_t c = 0; c < classes; ++c)
        grad[c * pixels] = T(scale * std::exp(double(row[c * pixels]) - lse));
      grad[std::size_t(label) * pixels] -= T(scale);
    }
  return total / denominator;
}
}  // namespace detail

// Softmax cross-entropy on logits with class labels: mean over samples of
// log(sum_j e^{z_j}) - z_y (weighted, and without ignored labels, as spec/loss.hpp says).
template <class T, std::size_t C>
double compute(const SoftmaxCrossEntropy& loss, const Tensor<T, Shape<C>>& z,
               std::span<const int> labels, Tensor<T, Shape<C>>* dz = nullptr) {
  const std::size_t batch = z.batch();
  if (labels.size() != batch)
    throw std::invalid_argument("SoftmaxCrossEntropy: " + std::to_string(labels.size()) +
                                " labels for a batch of " + std::to_string(batch));
  detail::prepare(dz, batch);
  return detail::cross_entropy(
      loss, z.data(), batch, C, 1, labels, dz != nullptr ? dz->data() : nullptr,
      [](std::size_t n, std::size_t) { return "sample " + std::to_string(n); });
}

// Softmax cross-entropy against a target distribution t (soft labels): -sum_j t_j log softmax_j.
template <class T, std::size_t C>
double compute(SoftmaxCrossEntropy, const Tensor<T, Shape<C>>& z, const Tensor<T, Shape<C>>& t,
               Tensor<T, Shape<C>>* dz = nullptr) {
  detail::check_target(z, t, "SoftmaxCrossEntropy");
  const std::size_t batch = z.batch();
  double total = 0;
  detail::prepare(dz, batch);
  for (std::size_t n = 0; n < batch; ++n) {
    const T* row = z.sample(n);
    const T* target = t.sample(n);
    const T peak = *std::max_element(row, row + C);
    double sum = 0;
    double mass = 0;
    for (std::size_t j = 0; j < C; ++j) {
      sum += std::exp(double(row[j] - peak));
      mass += double(target[j]);
    }
    const double lse = double(peak) + std::log(sum);
    for (std::size_t j = 0; j < C; ++j) total -= double(target[j]) * (double(row[j]) - lse);
    if (dz != nullptr) {
      T* grad = dz->sample(n);
      for (std::size_t j = 0; j < C; ++j)
        grad[j] = T((mass * std::exp(double(row[j]) - lse) - double(target[j])) / double(batch));
    }
  }
  return total / double(batch);
}

// Negative log-likelihood of log-probabilities: mean over samples of -logp_y.
template <class T, std::size_t C>
double compute(NLL, const Tensor<T, Shape<C>>& logp, std::span<const int> labels,
               Tensor<T, Shape<C>>* dlogp = nullptr) {
  const std::size_t batch = logp.batch();
  detail::check_labels(batch, C, labels, "NLL");
  double total = 0;
  detail::prepare(dlogp, batch);
  if (dlogp != nullptr) dlogp->fill(T(0));
  for (std::size_t n = 0; n < batch; ++n) {
    total -= double(logp(n, labels[n]));
    if (dlogp != nullptr) (*dlogp)(n, labels[n]) = T(-1.0 / double(batch));
  }
  return total / double(batch);
}

// Multiclass SVM loss (Weston & Watkins; the lecture's): mean over samples of
// sum_{j != y} max(0, s_j - s_y + 1).
template <class T, std::size_t C>
double compute(Hinge, const Tensor<T, Shape<C>>& s, std::span<const int> labels,
               Tensor<T, Shape<C>>* ds = nullptr) {
  const std::size_t batch = s.batch();
  detail::check_labels(batch, C, labels, "Hinge");
  double total = 0;
  detail::prepare(ds, batch);
  for (std::size_t n = 0; n < batch; ++n) {
    const std::size_t y = std::size_t(labels[n]);
    const double correct = double(s(n, y));
    double violations = 0;
    for (std::size_t j = 0; j < C; ++j) {
      const double margin = double(s(n, j)) - correct + 1.0;
      const bool active = j != y && margin > 0;
      if (active) {
        total += margin;
        violations += 1;
      }
      if (ds != nullptr) (*ds)(n, j) = active ? T(1.0 / double(batch)) : T(0);
    }
    if (ds != nullptr) (*ds)(n, y) = T(-violations / double(batch));
  }
  return total / double(batch);
}

namespace detail {
// The compile-time label of a run-time label argument (see spec/loss.hpp).
template <class Label>
struct label_kind {
  using type = Label;  // not a label: loss_fits says what a label is
};
template <class T, class S>
struct label_kind<Tensor<T, S>> {
  using type = S;
};
template <>
struct label_kind<std::span<const int>> {
  using type = ClassIndex;
};
template <class Allocator>
struct label_kind<std::vector<int, Allocator>> {
  using type = ClassIndex;
};
template <std::size_t N>
struct label_kind<std::array<int, N>> {
  using type = ClassIndex;
};

template <class S>
struct output_of;
template <std::size_t... D>
struct output_of<Shape<D...>> {
  using type = diag::output<D...>;
};

template <class Loss, class S, class Label>
using fits = diag::loss_fits<Loss, typename output_of<S>::type, typename label_kind<Label>::type>;

// A target tensor must have the output's scalar type (its shape is the loss rule's), and a
// gradient buffer the output's type; anything else is left to the overloads above.
template <class T, class Label>
inline constexpr bool target_agrees = true;
template <class T, class U, class S>
inline constexpr bool target_agrees<T, Tensor<U, S>> = std::is_same_v<T, U>;
template <class T, class S, class... Gradient>
inline constexpr bool gradient_agrees = true;
template <class T, class S, class G>
inline constexpr bool gradient_agrees<T, S, G> =
    !typenet::detail::is_tensor_pointer<G> ||
    std::is_same_v<std::remove_cv_t<std::remove_pointer_t<G>>, Tensor<T, S>>;
}  // namespace detail

// A loss, output and labels that do not go together: the error states the rule they break.
template <class Loss, class T, class S, class Label, class... Gradient>
requires(!detail::fits<Loss, S, Label>::value) double compute(Loss, const Tensor<T, S>&,
                                                              const Label&, Gradient...) {
  static_assert(detail::fits<Loss, S, Label>::report::reported);
  return 0;
}

// A target or gradient buffer of another scalar type (or a gradient buffer of another shape):
// the error names both tensor types.
template <class Loss, class T, class S, class Label, class... Gradient>
requires(detail::fits<Loss, S, Label>::value &&
         !(detail::target_agrees<T, Label> &&
           detail::gradient_agrees<T, S, Gradient...>)) double compute(Loss, const Tensor<T, S>&,
                                                                       const Label&, Gradient...) {
  if constexpr (!detail::target_agrees<T, Label>)
    typenet::detail::report_tensor_argument<diag::loss_target, Tensor<T, S>, Label>();
  else
    typenet::detail::report_tensor_argument<diag::loss_gradient, Tensor<T, S>,
                                            std::remove_cv_t<std::remove_pointer_t<Gradient>>...>();
  return 0;
}

}  // namespace typenet::loss
