// Flatten: any shape -> a vector of its size (C x H x W -> C*H*W, in that order).
#pragma once

#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>
#include <type_traits>

#include "typenet/shape/shape.hpp"

namespace typenet {

struct Flatten {
  template <class In, std::size_t I>
  using check = std::true_type;

  template <class In>
  struct shapes {
    using output = Shape<In::size>;
    using parameters = boost::mp11::mp_list<>;
    static constexpr std::size_t macs = 0;
  };

  static std::string name() { return "Flatten"; }
};

}  // namespace typenet
