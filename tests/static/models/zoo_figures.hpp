// Comparing a model's multiply-accumulates with a published figure given to a few decimals.
#pragma once

#include <cstddef>

namespace zoo {
// Whether macs, in units of 10^-Decimals G, rounds to Published (e.g. 4.09 G: <4'09, 2>).
template <unsigned long long Published, int Decimals>
constexpr bool rounds_to(unsigned long long macs) {
  unsigned long long unit = 1'000'000'000ull;
  for (int d = 0; d < Decimals; ++d) unit /= 10;
  return (macs + unit / 2) / unit == Published;
}
}  // namespace zoo
