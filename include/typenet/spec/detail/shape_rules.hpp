// The shape rules several specs share, as bases a spec derives from.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>

#include "typenet/shape/shape.hpp"

namespace typenet::detail {

// Shape-preserving layers without parameters: activations, dropout, LRN, Identity.
struct same_shape {
  template <class In>
  struct shapes {
    using output = In;
    using parameters = boost::mp11::mp_list<>;
    static constexpr std::size_t macs = 0;
  };
};

// Shape-preserving layers with Count tensors of one value per channel (BatchNorm's gamma and
// beta, PReLU's slopes).
template <std::size_t Count>
struct per_channel_parameters {
  template <class In>
  struct shapes {
    using output = In;
    using parameters = boost::mp11::mp_repeat_c<boost::mp11::mp_list<Shape<In::dims[0]>>, Count>;
    static constexpr std::size_t macs = 0;
  };
};

}  // namespace typenet::detail
