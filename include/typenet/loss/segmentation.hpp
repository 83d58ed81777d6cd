// Per-pixel losses for segmentation: an output of C x H x W class scores (logits) against a
// tn::ClassMask<H, W> (one class per pixel), or a 1 x H x W logit map against a binary mask.
//
//   tn::ClassMask<64, 64> masks{std::span<const int>(classes)};   // batch x 64 x 64 integers
//   double ce = tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, scores, masks, &dscores);
//   double dice = tn::loss::compute(tn::loss::Dice{}, scores, masks, &dscores);
//   double bce = tn::loss::compute(tn::loss::BinaryCrossEntropyWithLogits{}, logits, mask);
//
// The label's H x W is checked against the output at compile time (spec/loss.hpp); at run time
// the mask's size against the batch, and every class against [0, C). A binary mask is a target
// tensor of the output's shape: BinaryCrossEntropyWithLogits (loss/loss.hpp) and Dice take it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "typenet/expr/tensor.hpp"
#include "typenet/loss/loss.hpp"

namespace typenet::loss {

namespace detail {
template <std::size_t H, std::size_t W>
void check_mask_size(const ClassMask<H, W>& mask, std::size_t batch, const char* loss) {
  if (mask.classes.size() != batch * H * W)
    throw std::invalid_argument(std::string(loss) + ": a ClassMask<" + std::to_string(H) + ", " +
                                std::to_string(W) + "> of " + std::to_string(mask.classes.size()) +
                                " classes for a batch of " + std::to_string(batch) + " (" +
                                std::to_string(batch * H * W) + " pixels)");
}

inline std::string pixel_name(std::size_t n, std::size_t p, std::size_t width) {
  return "sample " + std::to_string(n) + ", pixel (" + std::to_string(p / width) + ", " +
         std::to_string(p % width) + ")";
}

// The soft Dice loss of probabilities `prob` (batch x channels x pixels) against `truth` (the
// same layout; nullptr: the one-hot of `labels`), and dLoss/dprob into `dprob` if not null.
template <class Truth>
double dice_of_probabilities(double smooth, std::span<const double> prob, std::size_t batch,
                             std::size_t channels, std::size_t pixels, Truth truth, double* dprob) {
  double total = 0;
  const double terms = double(batch * channels);
  for (std::size_t n = 0; n < batch; ++n)
    for (std::size_t c = 0; c < channels; ++c) {
      const std::size_t base = (n * channels + c) * pixels;
      double intersection = 0, sum = 0;
      for (std::size_t p = 0; p < pixels; ++p) {
        const double g = truth(n, c, p);
        intersection += prob[base + p] * g;
        sum += prob[base + p] + g;
      }
      const double numerator = 2 * intersection + smooth, denominator = sum + smooth;
      total += numerator / denominator;
      if (dprob == nullptr) continue;
      // d/dp of -(2 I + s) / (S + s) / terms, with dI/dp = g and dS/dp = 1.
      for (std::size_t p = 0; p < pixels; ++p)
        dprob[base + p] =
            -(2 * truth(n, c, p) / denominator - numerator / (denominator * denominator)) / terms;
    }
  return 1 - total / terms;
}

// Per-thread scratch of doubles that only grows: a training step allocates only at its first.
inline std::vector<double>& dice_scratch(int slot, std::size_t size) {
  thread_local std::vector<double> buffers[2];
  auto& buffer = buffers[slot];
  if (buffer.size() < size) buffer.resize(size);
  return buffer;
}
}  // namespace detail

// Softmax cross-entropy over the channel axis at every pixel (PyTorch's CrossEntropyLoss on
// N x C x H x W scores and N x H x W targets, with weight and ignore_index; 'mean' divides by
// the summed weights of the pixels not ignored).
template <class T, std::size_t C, std::size_t H, std::size_t W>
requires(C >= 2) double compute(const SoftmaxCrossEntropy& loss, const Tensor<T, Shape<C, H, W>>& z,
                                const ClassMask<H, W>& mask,
                                Tensor<T, Shape<C, H, W>>* dz = nullptr) {
  detail::check_mask_size(mask, z.batch(), "SoftmaxCrossEntropy");
  detail::prepare(dz, z.batch());
  return detail::cross_entropy(
      loss, z.data(), z.batch(), C, H * W, mask.classes, dz != nullptr ? dz->data() : nullptr,
      [](std::size_t n, std::size_t p) { return detail::pixel_name(n, p, W); });
}

// Multi-class soft Dice (spec/loss.hpp): softmax over the channels, against the one-hot mask.
template <class T, std::size_t C, std::size_t H, std::size_t W>
requires(C >= 2) double compute(const Dice& loss, const Tensor<T, Shape<C, H, W>>& z,
                                const ClassMask<H, W>& mask,
                                Tensor<T, Shape<C, H, W>>* dz = nullptr) {
  constexpr std::size_t pixels = H * W;
  const std::size_t batch = z.batch();
  detail::check_mask_size(mask, batch, "Dice");
  for (std::size_t i = 0; i < mask.classes.size(); ++i)
    if (mask.classes[i] < 0 || std::size_t(mask.classes[i]) >= C)
      throw std::invalid_argument("Dice: label " + std::to_string(mask.classes[i]) + " of " +
                                  detail::pixel_name(i / pixels, i % pixels, W) +
                                  " is not a class index in [0, " + std::to_string(C) + ")" +
                                  (mask.classes[i] < 0 ? " (Dice has no ignore_index: an "
                                                         "augmentation's mask_fill must be a class)"
                                                       : ""));
  auto& prob = detail::dice_scratch(0, z.size());
  for (std::size_t n = 0; n < batch; ++n)
    for (std::size_t p = 0; p < pixels; ++p) {
      const T* row = z.sample(n) + p;
      double* out = prob.data() + n * C * pixels + p;
      T peak = row[0];
      for (std::size_t c = 1; c < C; ++c) peak = std::max(peak, row[c * pixels]);
      double sum = 0;
      for (std::size_t c = 0; c < C; ++c)
        sum += out[c * pixels] = std::exp(double(row[c * pixels] - peak));
      for (std::size_t c = 0; c < C; ++c) out[c * pixels] /= sum;
    }
  const auto one_hot = [&](std::size_t n, std::size_t c, std::size_t p) {
    return mask.classes[n * pixels + p] == int(c) ? 1.0 : 0.0;
  };
  double* dprob = dz != nullptr ? detail::dice_scratch(1, z.size()).data() : nullptr;
  const double value = detail::dice_of_probabilities(loss.smooth, std::span(prob).first(z.size()),
                                                     batch, C, pixels, one_hot, dprob);
  detail::prepare(dz, batch);
  if (dz == nullptr) return value;
  // Through the softmax: dz_c = p_c (dp_c - sum_k p_k dp_k) at each pixel.
  for (std::size_t n = 0; n < batch; ++n)
    for (std::size_t p = 0; p < pixels; ++p) {
      const std::size_t at = n * C * pixels + p;
      double dot = 0;
      for (std::size_t c = 0; c < C; ++c) dot += prob[at + c * pixels] * dprob[at + c * pixels];
      for (std::size_t c = 0; c < C; ++c)
        dz->data()[at + c * pixels] = T(prob[at + c * pixels] * (dprob[at + c * pixels] - dot));
    }
  return value;
}

// Binary soft Dice (spec/loss.hpp): sigmoid of each logit against a target in [0, 1] of the
// output's shape, one Dice term per sample and channel.
template <class T, std::size_t C, std::size_t... D>
double compute(const Dice& loss, const Tensor<T, Shape<C, D...>>& z,
               const Tensor<T, Shape<C, D...>>& t, Tensor<T, Shape<C, D...>>* dz = nullptr) {
  detail::check_target(z, t, "Dice");
  constexpr std::size_t pixels = (std::size_t(1) * ... * D);
  // Outside [0, 1] the overlap terms go negative and the loss below 0 (or above 1): garbage.
  constexpr std::size_t dims[] = {std::size_t(1), D...}, width = dims[sizeof...(D)];
  for (std::size_t i = 0; i < t.size(); ++i)
    if (!(t[i] >= T(0) && t[i] <= T(1)))
      throw std::invalid_argument("Dice: target " + std::to_string(double(t[i])) + " of " +
                                  detail::pixel_name(i / (C * pixels), i % pixels, width) +
                                  " is not in [0, 1] (a binary mask or a probability)");
  const std::size_t batch = z.batch();
  auto& prob = detail::dice_scratch(0, z.size());
  for (std::size_t i = 0; i < z.size(); ++i) prob[i] = 1 / (1 + std::exp(-double(z[i])));
  const auto truth = [&](std::size_t n, std::size_t c, std::size_t p) {
    return double(t[(n * C + c) * pixels + p]);
  };
  double* dprob = dz != nullptr ? detail::dice_scratch(1, z.size()).data() : nullptr;
  const double value = detail::dice_of_probabilities(loss.smooth, std::span(prob).first(z.size()),
                                                     batch, C, pixels, truth, dprob);
  detail::prepare(dz, batch);
  if (dz != nullptr)
    for (std::size_t i = 0; i < z.size(); ++i) (*dz)[i] = T(dprob[i] * prob[i] * (1 - prob[i]));
  return value;
}

}  // namespace typenet::loss
