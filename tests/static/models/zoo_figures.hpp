// Comparing a model's multiply-accumulates with a published figure given to a few decimals.
#pragma once

#include <cstddef>
#include <typenet/shapes.hpp>

namespace zoo {
// The layers of a Block-valued layer (torchvision's `features`) as a Sequential of their own, so
// that their shapes can be checked by index: inner<Net::layer<0>>::layer<4>.
template <class In, class Spec>
struct inner_chain;
template <std::size_t... D, class... Specs>
struct inner_chain<typenet::Shape<D...>, typenet::Block<Specs...>> {
  using type = typenet::Sequential<typenet::Input<D...>, Specs...>;
};
template <class Bound>
using inner = typename inner_chain<typename Bound::input_type, typename Bound::spec>::type;

// Whether macs, in units of 10^-Decimals G, rounds to Published (e.g. 4.09 G: <4'09, 2>).
template <unsigned long long Published, int Decimals>
constexpr bool rounds_to(unsigned long long macs) {
  unsigned long long unit = 1'000'000'000ull;
  for (int d = 0; d < Decimals; ++d) unit /= 10;
  return (macs + unit / 2) / unit == Published;
}
}  // namespace zoo
