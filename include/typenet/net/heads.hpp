// Heads<Head<Branch, Loss, Label>...> computed; spec in graph/heads.hpp, the loss in
// loss/multitask.hpp.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

// Network first: it includes the composite layers at its end, and they need it whole.
#include "typenet/net/network.hpp"

#include <cstddef>

#include "typenet/graph/heads.hpp"
#include "typenet/net/block.hpp"
#include "typenet/net/detail/joined_branches.hpp"

namespace typenet {

// The heads' outputs one after another in each sample; their gradients add up in the trunk.
template <class... Hs, class In, class T>
class Layer<Heads<Hs...>, In, T>
    : public detail::joined_layer<Heads<Hs...>, In, T, typename Hs::branch...> {
 public:
  explicit Layer(std::size_t capacity = 1)
      : detail::joined_layer<Heads<Hs...>, In, T, typename Hs::branch...>(capacity) {}
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
