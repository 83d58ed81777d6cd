// Block<Specs...>: a chain of layer specs without Input, used as one layer: a branch of a
// Residual, Concat or Heads, or a layer of its own (ResNet's stages, a block and its
// activation). Its output is its last layer's; its parameters and MACs are its layers'. Inside
// a Block, layers are counted from 0 again in diagnostics (the outer layer<I> is in the same
// error).
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>

#include "typenet/graph/detail/branch.hpp"
#include "typenet/shape/shape.hpp"

namespace typenet {

// A chain of layers used as one layer (ResNet's stages, a block and its activation).
template <class... Specs>
struct Block {
  template <class In, std::size_t I>
  struct check {
    static constexpr bool value = ShapeType<typename detail::bound_branch<In, Block>::output>;
  };
  template <class In>
  struct shapes {
    using chain = detail::bound_branch<In, Block>;
    using output = typename chain::output;
    using parameters = detail::branch_parameters<typename chain::layers>;
    static constexpr std::size_t macs = detail::branch_macs(typename chain::layers{});
  };
  template <class In>
  using paths =
      boost::mp11::mp_list<detail::summary_path<typename detail::bound_branch<In, Block>::layers>>;
  static std::string name() { return "Block"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
