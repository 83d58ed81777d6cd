// Dense<N, Bias<bool>>: a fully connected layer, IN -> N.
// Parameters: weight N x IN and, unless Bias<false>, a bias of N. MACs: IN*N.
// The input must be a vector: put tn::Flatten (or tn::GlobalAvgPool) before a Dense that
// follows an image layer. Implicit flattening would hide a forgotten pooling stage.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/detail/affine_shapes.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/options.hpp"

namespace typenet {

namespace diag {
template <class Layer, class Spec, class... Options>
struct dense_options {
  using rules = detail::option_rules<boost::mp11::mp_list<bias_option>, Options...>;
  static constexpr bool known = rules::known;
  static constexpr bool unique = rules::unique;
  static constexpr bool value = known && unique;
  struct report {
    static_assert(known, "Dense<N, Options...> takes as option only tn::Bias<bool>");
    static_assert(unique, "Dense<N, Options...> requires each option at most once");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

template <std::size_t N, class... Options>
struct Dense : detail::affine_shapes<N, 1, detail::option_or<Bias<true>, Options...>::value> {
  static constexpr std::size_t units = N;
  static constexpr bool bias = detail::option_or<Bias<true>, Options...>::value;

  template <class In, std::size_t I>
  struct check {
   private:
    using options = diag::dense_options<diag::layer<I>, Dense, Options...>;
    using units = diag::requires_units<diag::layer<I>, Dense, diag::units<N>, options::value>;
    using input =
        diag::requires_vector_input<diag::layer<I>, Dense, diag::input_t<In>, units::value>;
    static_assert(options::report::reported && units::report::reported && input::report::reported);

   public:
    static constexpr bool value = input::value;
  };

  static std::string name() { return "Dense(" + std::to_string(N) + (bias ? ")" : ", no bias)"); }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
