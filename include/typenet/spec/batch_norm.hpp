// BatchNorm: normalises each channel (C of C x H x W, or each feature of a vector) with batch
// statistics in training and running statistics at evaluation, then scales and shifts (Ioffe &
// Szegedy 2015; PyTorch's BatchNorm1d/2d). Parameters: gamma and beta, one per channel (running
// mean and variance are state, not parameters, as in PyTorch). Shape-preserving.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <string>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/shape_rules.hpp"

namespace typenet {

struct BatchNorm : detail::per_channel_parameters<2> {
  template <class In, std::size_t I>
  using check = diag::single_check<
      diag::requires_vector_or_image_input<diag::layer<I>, BatchNorm, diag::input_t<In>, true>>;
  static std::string name() { return "BatchNorm"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
