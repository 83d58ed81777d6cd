// A trainable tensor of a layer, its gradient, and what kind of tensor it is.
#pragma once

#include <cstddef>
#include <string_view>

#include "typenet/expr/tensor.hpp"

namespace typenet {

// What a parameter tensor is to its layer. Initialisers and penalties choose by kind (He and
// Xavier fill weights, L1/L2 penalise weights; biases, batch-norm scales and shifts and PReLU
// slopes keep what their layer set), so a new layer only has to give each tensor its kind.
enum class ParameterKind {
  weight,  // Dense, Conv2D, ConvTranspose2D, Maxout: the multiplied tensor
  bias,    // the added tensor of those layers
  scale,   // BatchNorm's gamma
  shift,   // BatchNorm's beta
  slope,   // PReLU's negative slopes
};

// "weight", "bias", "scale", "shift" or "slope".
constexpr std::string_view to_string(ParameterKind kind) {
  switch (kind) {
    case ParameterKind::weight:
      return "weight";
    case ParameterKind::bias:
      return "bias";
    case ParameterKind::scale:
      return "scale";
    case ParameterKind::shift:
      return "shift";
    case ParameterKind::slope:
      return "slope";
  }
  return "parameter";
}

// A trainable tensor and its gradient, both of size() scalars. fan_in / fan_out are what Xavier
// and He initialisation need (inputs and outputs feeding one unit, as PyTorch's
// torch.nn.init._calculate_fan_in_and_fan_out counts them).
template <class T>
struct Parameter {
  ParameterKind kind = ParameterKind::weight;
  AlignedBuffer<T> value;
  AlignedBuffer<T> gradient;
  std::size_t fan_in = 1;
  std::size_t fan_out = 1;
  std::size_t layer = 0;  // index of the layer it belongs to in its network

  Parameter() = default;
  Parameter(ParameterKind kind_, std::size_t size, std::size_t fan_in_ = 1,
            std::size_t fan_out_ = 1)
      : kind(kind_), value(size), gradient(size), fan_in(fan_in_), fan_out(fan_out_) {}
  std::size_t size() const { return value.size(); }
  std::string_view name() const { return to_string(kind); }
};

}  // namespace typenet
