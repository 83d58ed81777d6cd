// Folding an evaluation-mode BatchNorm into the Dense or Conv2D before it, for inference:
//   BN(W x + b) = gamma (W x + b - mean) / sqrt(var + eps) + beta = W' x + b'
// with W' = W * s and b' = (b - mean) * s + beta per output channel, s = gamma / sqrt(var + eps).
// After folding, the network without the BatchNorm computes what the pair computed in
// Mode::eval (tests/unit/layers/fold_batchnorm_test.cpp checks it).
#pragma once

#include <cmath>
#include <cstddef>

#include <type_traits>

#include "typenet/layers/batch_norm.hpp"

namespace typenet {

template <class WeightLayer, class BnInput, class T>
requires(WeightLayer::has_bias) void fold_batchnorm(WeightLayer& layer,
                                                    const Layer<BatchNorm, BnInput, T>& bn) {
  static_assert(std::is_same_v<typename WeightLayer::output_shape, BnInput>,
                "fold_batchnorm(layer, bn) requires bn to be the BatchNorm right after layer");
  constexpr std::size_t C = BnInput::dims[0];
  auto& weight = layer.weight().value;
  auto& bias = layer.bias().value;
  const std::size_t per_channel = weight.size() / C;
  const auto& params = bn.parameters();
  for (std::size_t c = 0; c < C; ++c) {
    const T scale = params[0].value[c] /
                    std::sqrt(bn.running_var()[c] + T(Layer<BatchNorm, BnInput, T>::epsilon));
    for (std::size_t i = 0; i < per_channel; ++i) weight[c * per_channel + i] *= scale;
    bias[c] = (bias[c] - bn.running_mean()[c]) * scale + params[1].value[c];
  }
}

}  // namespace typenet
