// Identity: y = x, any shape (the default shortcut of a Residual, U-Net's skip). No parameters.
#pragma once
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this public header includes detail/ headers

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
