// Identity: y = x, any shape (the default shortcut of a Residual, U-Net's skip). No parameters.
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

struct Identity : detail::same_shape {
  template <class In, std::size_t I>
  using check = std::true_type;
  static std::string name() { return "Identity"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
