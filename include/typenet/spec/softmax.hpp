// Softmax: over the features of a vector, or over the C channels at each pixel of C x H x W
// (PyTorch's Softmax(dim=1)). Shape-preserving, no parameters. For training a classifier, end the
// network with the logits and use loss::SoftmaxCrossEntropy, which is the stable form.
#pragma once
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this public header includes detail/ headers

#include <cstddef>
#include <string>
#include <type_traits>

#include "typenet/spec/detail/shape_rules.hpp"

namespace typenet {

struct Softmax : detail::same_shape {
  template <class In, std::size_t I>
  using check = std::true_type;
  static std::string name() { return "Softmax"; }
};

}  // namespace typenet
