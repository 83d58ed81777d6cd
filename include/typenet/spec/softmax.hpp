// Softmax: over the features of a vector, or over the C channels at each pixel of C x H x W
// (PyTorch's Softmax(dim=1)). Shape-preserving, no parameters. For training a classifier, end the
// network with the logits and use loss::SoftmaxCrossEntropy, which is the stable form.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

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

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
