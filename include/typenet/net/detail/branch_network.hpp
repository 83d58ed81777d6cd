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

// Appends a branch's parameters (or state buffers) to those of the branches before it.
template <class P>
void append(std::vector<P*>& all, const std::vector<P*>& more) {
  all.insert(all.end(), more.begin(), more.end());
}

}  // namespace typenet::detail
