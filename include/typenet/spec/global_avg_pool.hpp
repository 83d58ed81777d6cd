// GlobalAvgPool: the mean of each channel over H x W, C x H x W -> C (PyTorch's
// AdaptiveAvgPool2d(1) followed by flatten). No parameters.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"

namespace typenet {

struct GlobalAvgPool {
  template <class In, std::size_t I>
  using check = diag::single_check<
      diag::requires_image_input<diag::layer<I>, GlobalAvgPool, diag::input_t<In>, true>>;

  template <class In>
  struct shapes {
    using output = Shape<In::dims[0]>;
    using parameters = boost::mp11::mp_list<>;
    static constexpr std::size_t macs = 0;
  };

  static std::string name() { return "GlobalAvgPool"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
