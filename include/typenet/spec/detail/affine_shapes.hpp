// The shape rule Dense and Maxout share: K affine pieces of IN -> N.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <boost/mp11/list.hpp>
#include <cstddef>
#include <type_traits>

#include "typenet/shape/shape.hpp"

namespace typenet {

namespace detail {
// Weight Units*Pieces x IN, bias Units*Pieces (when WithBias); MACs IN*Units*Pieces.
template <std::size_t Units, std::size_t Pieces, bool WithBias>
struct affine_shapes {
  template <class In>
  struct shapes {
    using output = Shape<Units>;
    using weight = Shape<Units * Pieces, In::dims[0]>;
    using parameters =
        std::conditional_t<WithBias, boost::mp11::mp_list<weight, Shape<Units * Pieces>>,
                           boost::mp11::mp_list<weight>>;
    static constexpr std::size_t macs = weight::size;
  };
};
}  // namespace detail

}  // namespace typenet
