// BatchNorm: normalises each channel (C of C x H x W, or each feature of a vector) with batch
// statistics in training and running statistics at evaluation, then scales and shifts (Ioffe &
// Szegedy 2015; PyTorch's BatchNorm1d/2d). Parameters: gamma and beta, one per channel (running
// mean and variance are state, not parameters, as in PyTorch). Shape-preserving. eps is PyTorch's
// default, 1e-5; BatchNormEps<std::ratio<1, 1000>> is the same layer with another eps (PyTorch's
// BatchNorm2d(eps=0.001), which torchvision's GoogLeNet uses).
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <string>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/describe.hpp"
#include "typenet/spec/detail/ratio.hpp"
#include "typenet/spec/detail/shape_rules.hpp"

namespace typenet {

struct BatchNorm : detail::per_channel_parameters<2> {
  template <class In, std::size_t I>
  using check = diag::single_check<
      diag::requires_vector_or_image_input<diag::layer<I>, BatchNorm, diag::input_t<In>, true>>;
  static constexpr double epsilon = 1e-5;
  static std::string name() { return "BatchNorm"; }
};

namespace diag {
template <class Eps>
struct batch_norm_eps {
  static constexpr bool value = [] {
    if constexpr (typenet::detail::Ratio<Eps>)
      return Eps::num > 0 && Eps::den > 0;
    else
      return false;
  }();
  struct report {
    static_assert(value,
                  "BatchNormEps<Eps> requires Eps to be a positive std::ratio, e.g. "
                  "BatchNormEps<std::ratio<1, 1000>> for PyTorch's BatchNorm2d(eps=0.001)");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

template <class Eps>
struct BatchNormEps : detail::per_channel_parameters<2> {
  static_assert(diag::batch_norm_eps<Eps>::report::reported);
  template <class In, std::size_t I>
  using check = diag::single_check<
      diag::requires_vector_or_image_input<diag::layer<I>, BatchNormEps, diag::input_t<In>, true>>;
  static constexpr double epsilon = detail::ratio_value<Eps>();
  static std::string name() {
    if constexpr (detail::Ratio<Eps>)
      return "BatchNorm(eps " + detail::ratio_text(Eps::num, Eps::den) + ")";
    else
      return "BatchNorm";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
