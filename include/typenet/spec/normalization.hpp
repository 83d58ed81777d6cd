// BatchNorm: normalises each channel (C of C x H x W, or each feature of a vector) with batch
// statistics in training and running statistics at evaluation, then scales and shifts.
// Parameters: gamma and beta, one per channel (running mean and variance are state, not
// parameters, as in PyTorch). Shape-preserving.
//
// LocalResponseNorm<Size, Alpha, Beta, K> (AlexNet's NORM layers, Krizhevsky et al. 2012):
//   b_c = a_c / (K + Alpha/Size * sum_{c' within Size/2 of c} a_c'^2)^Beta
// with the defaults of the paper and of PyTorch: Size 5, Alpha 1e-4, Beta 0.75, K 2 (K = 1
// in PyTorch, 2 in the paper; we take the paper's). Image input, no parameters.
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <ratio>
#include <string>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/checks.hpp"
#include "typenet/spec/dropout.hpp"

namespace typenet {

namespace detail {
// One tensor of Count values per channel, Count tensors in all.
template <std::size_t Count>
struct per_channel_parameters {
  template <class In>
  struct shapes {
    using output = In;
    using parameters = boost::mp11::mp_repeat_c<boost::mp11::mp_list<Shape<In::dims[0]>>, Count>;
    static constexpr std::size_t macs = 0;
  };
};
}  // namespace detail

struct BatchNorm : detail::per_channel_parameters<2> {
  template <class In, std::size_t I>
  using check = diag::single_check<
      diag::requires_vector_or_image_input<diag::layer<I>, BatchNorm, diag::input_t<In>, true>>;
  static std::string name() { return "BatchNorm"; }
};

namespace diag {
template <class Layer, class Spec, class Size, bool Enabled>
struct lrn_size {
  static constexpr bool value = Enabled && Size::value >= 1;
  struct report {
    static_assert(!Enabled || Size::value >= 1,
                  "LocalResponseNorm<Size, ...> requires Size >= 1 channels to normalise over");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

template <std::size_t Size = 5, class Alpha = std::ratio<1, 10000>, class Beta = std::ratio<3, 4>,
          class K = std::ratio<2>>
struct LocalResponseNorm : detail::same_shape {
  static constexpr std::size_t size = Size;
  static constexpr double alpha = static_cast<double>(Alpha::num) / Alpha::den;
  static constexpr double beta = static_cast<double>(Beta::num) / Beta::den;
  static constexpr double k = static_cast<double>(K::num) / K::den;

  template <class In, std::size_t I>
  struct check {
   private:
    using size = diag::lrn_size<diag::layer<I>, LocalResponseNorm, diag::size<Size>, true>;
    using input = diag::requires_image_input<diag::layer<I>, LocalResponseNorm, diag::input_t<In>,
                                             size::value>;
    static_assert(size::report::reported && input::report::reported);

   public:
    static constexpr bool value = input::value;
  };

  static std::string name() { return "LocalResponseNorm(" + std::to_string(Size) + ")"; }
};

}  // namespace typenet
