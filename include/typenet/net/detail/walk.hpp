// The walks over heterogeneous layers, on Boost.Hana: every element of a tuple of layers (a
// Network's layers, a composite layer's branch networks) with its index, and every layer index in
// forward or in backward order. MP11 computes the types (graph/, shape/); these walk the values.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/integral_constant.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/range.hpp>
#include <boost/hana/tuple.hpp>
#include <cstddef>

namespace typenet::detail {

namespace hana = boost::hana;

// f(element, hana::size_c<K>) for each element K of the hana::tuple xs, first to last; K is a
// constant expression inside f (layer<K>(), stream_seed(seed, K)).
template <class Xs, class F>
constexpr void for_each_indexed(Xs& xs, F&& f) {
  hana::for_each(hana::make_range(hana::size_c<0>, hana::length(xs)),
                 [&](auto k) { f(hana::at(xs, k), k); });
}

// f(hana::size_c<K>) for K = 0, 1, ..., N - 1: a forward pass.
template <std::size_t N, class F>
constexpr void for_each_index(F&& f) {
  hana::for_each(hana::make_range(hana::size_c<0>, hana::size_c<N>), f);
}
// f(hana::size_c<K>) for K = N - 1, ..., 1, 0: a backward pass.
template <std::size_t N, class F>
constexpr void for_each_index_reversed(F&& f) {
  for_each_index<N>([&](auto k) { f(hana::size_c<N - 1 - decltype(k)::value>); });
}

}  // namespace typenet::detail
