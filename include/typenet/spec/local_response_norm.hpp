// LocalResponseNorm<Size, Alpha, Beta, K> (AlexNet's NORM layers, Krizhevsky et al. 2012):
//   b_c = a_c / (K + Alpha * sum_{c' = c - Size/2 .. c + (Size-1)/2} a_c'^2)^Beta
// (the window PyTorch uses: symmetric for odd Size), with the paper's values as defaults: Size 5,
// Alpha 1e-4, Beta 0.75, K 2. PyTorch's LocalResponseNorm(size, alpha, beta, k) divides alpha by
// size: it is LocalResponseNorm<size, alpha/size, beta, k> here. Alpha, Beta and K are
// std::ratios, Alpha and K >= 0, Beta > 0. Image input (C x H x W), shape-preserving, no
// parameters.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <ratio>
#include <string>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/ratio.hpp"
#include "typenet/spec/detail/shape_rules.hpp"

namespace typenet {

namespace diag {
template <class Layer, class Spec, class Size, class Alpha, class Beta, class K>
struct lrn_parameters {
  static constexpr bool size = Size::value >= 1;
  static constexpr bool ratios = detail::Ratio<Alpha> && detail::Ratio<Beta> && detail::Ratio<K>;
  static constexpr bool signs = [] {
    if constexpr (ratios)
      return Alpha::num >= 0 && Beta::num > 0 && K::num >= 0;
    else
      return false;
  }();
  static constexpr bool value = size && ratios && signs;
  struct report {
    static_assert(size,
                  "LocalResponseNorm<Size, ...> requires Size >= 1 channels to normalise over");
    static_assert(!size || ratios,
                  "LocalResponseNorm<Size, Alpha, Beta, K> takes Alpha, Beta and K as std::ratios");
    static_assert(
        !size || !ratios || signs,
        "LocalResponseNorm<Size, Alpha, Beta, K> requires Alpha >= 0, Beta > 0 and K >= 0");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

template <std::size_t Size = 5, class Alpha = std::ratio<1, 10000>, class Beta = std::ratio<3, 4>,
          class K = std::ratio<2>>
struct LocalResponseNorm : detail::same_shape {
  static constexpr std::size_t size = Size;
  static constexpr double alpha = detail::ratio_value<Alpha>();
  static constexpr double beta = detail::ratio_value<Beta>();
  static constexpr double k = detail::ratio_value<K>();

  template <class In, std::size_t I>
  struct check {
   private:
    using parameters =
        diag::lrn_parameters<diag::layer<I>, LocalResponseNorm, diag::size<Size>, Alpha, Beta, K>;
    using input = diag::requires_image_input<diag::layer<I>, LocalResponseNorm, diag::input_t<In>,
                                             parameters::value>;
    static_assert(parameters::report::reported && input::report::reported);

   public:
    static constexpr bool value = input::value;
  };

  static std::string name() { return "LocalResponseNorm(" + std::to_string(Size) + ")"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
