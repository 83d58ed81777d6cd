// A branch of a composite layer (one spec or a Block<...>) bound to the composite's input, and
// what the composites sum over their branches: parameters, MACs, summary rows.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>
#include <utility>

#include "typenet/graph/sequential.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/named.hpp"

namespace typenet {

template <class... Specs>
struct Block;

namespace detail {
template <class Branch>
struct chain_of {
  using type = boost::mp11::mp_list<Branch>;
};
template <class... Specs>
struct chain_of<Block<Specs...>> {
  using type = boost::mp11::mp_list<Specs...>;
};
// A Named Block as a path: the name is the path's (io/detail/state_dict.hpp), the layers are the
// Block's, so the path's network is the same type as the unnamed one's.
template <FixedString Name, class... Specs>
struct chain_of<Named<Name, Block<Specs...>>> {
  using type = boost::mp11::mp_list<Specs...>;
};
template <class Branch>
using chain_t = typename chain_of<Branch>::type;

// A branch bound to an input: its layers and output (InvalidShape if a layer in it failed).
template <class In, class Branch>
struct bound_branch {
  using specs = chain_t<Branch>;
  static constexpr bool specs_ok =
      diag::layer_specs<specs, std::make_index_sequence<boost::mp11::mp_size<specs>::value>>::value;
  using chain = bind_specs<In, specs, specs_ok>;
  using layers = typename chain::layers;
  using output = typename chain::output;
};

template <class Bound>
using parameter_shapes_of = typename Bound::parameter_shapes;

template <class... Bound>
constexpr std::size_t branch_macs(boost::mp11::mp_list<Bound...>) {
  return sum({std::size_t{0}, Bound::macs...});
}
template <class Layers>
using branch_parameters = boost::mp11::mp_apply<
    boost::mp11::mp_append,
    boost::mp11::mp_push_front<boost::mp11::mp_transform<parameter_shapes_of, Layers>,
                               boost::mp11::mp_list<>>>;

// A path through a composite layer, for the summary: its layers and the label of its rows.
template <class Layers, char... Label>
struct summary_path {
  using layers = Layers;
  static std::string label() { return std::string{Label...}; }
};

}  // namespace detail

}  // namespace typenet
