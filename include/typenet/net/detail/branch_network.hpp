// A branch of a composite layer as a Network of its own (so a Dense or Conv2D and its
// activation fuse inside a branch too), and the walks over several branches' parameters.
#pragma once
#include "typenet/detail/internal_header.hpp"

// Network first: it includes the composite layers at its end, and they need it whole.
#include "typenet/net/network.hpp"

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <vector>

#include "typenet/graph/block.hpp"
#include "typenet/graph/sequential.hpp"

namespace typenet::detail {

template <class In, class Chain>
struct chain_network;
template <std::size_t... D, class... Specs>
struct chain_network<Shape<D...>, boost::mp11::mp_list<Specs...>> {
  using type = Sequential<Input<D...>, Specs...>;
};
template <class In, class Branch, class T>
using branch_network = Network<typename chain_network<In, chain_t<Branch>>::type, T>;

// The parameters (or state buffers) of several branch networks, in branch order.
template <class... Networks>
auto parameters_of(Networks&... networks) {
  std::vector<Parameter<typename boost::mp11::mp_first<boost::mp11::mp_list<Networks...>>::scalar>*>
      all;
  (
      [&] {
        for (auto* p : networks.parameters()) all.push_back(p);
      }(),
      ...);
  return all;
}
template <class... Networks>
auto state_buffers_of(Networks&... networks) {
  std::vector<
      AlignedBuffer<typename boost::mp11::mp_first<boost::mp11::mp_list<Networks...>>::scalar>*>
      all;
  (
      [&] {
        for (auto* b : networks.state_buffers()) all.push_back(b);
      }(),
      ...);
  return all;
}

}  // namespace typenet::detail
