// PReLU: y = x for x > 0, a_c x otherwise, one learned slope a_c per channel (C of C x H x W,
// or each feature of a vector; He et al. 2015, PyTorch's PReLU(num_parameters=C)).
// Parameters: slope, C values. Shape-preserving.
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

struct PReLU : detail::per_channel_parameters<1> {
  template <class In, std::size_t I>
  using check = diag::single_check<
      diag::requires_vector_or_image_input<diag::layer<I>, PReLU, diag::input_t<In>, true>>;
  static std::string name() { return "PReLU"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
