// Concat<Branch...> and CropConcat<Branch...> computed; specs in graph/concat.hpp.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

// Network first: it includes the composite layers at its end, and they need it whole.
#include "typenet/net/network.hpp"

#include <cstddef>

#include "typenet/graph/concat.hpp"
#include "typenet/net/block.hpp"
#include "typenet/net/detail/joined_branches.hpp"

namespace typenet {

template <class... Branches, class In, class T>
class Layer<Concat<Branches...>, In, T>
    : public detail::joined_layer<Concat<Branches...>, In, T, Branches...> {
 public:
  explicit Layer(std::size_t capacity = 1)
      : detail::joined_layer<Concat<Branches...>, In, T, Branches...>(capacity) {}
};

template <class... Branches, class In, class T>
class Layer<CropConcat<Branches...>, In, T>
    : public detail::joined_layer<CropConcat<Branches...>, In, T, Branches...> {
 public:
  explicit Layer(std::size_t capacity = 1)
      : detail::joined_layer<CropConcat<Branches...>, In, T, Branches...>(capacity) {}
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
