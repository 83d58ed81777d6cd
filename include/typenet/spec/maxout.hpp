// Maxout<N, K>: K affine pieces of IN -> N, output the element-wise max over the pieces
// (Goodfellow et al., 2013). Input: a vector of IN. Parameters: weight K*N x IN (piece k of unit u
// is row u*K + k), bias K*N. MACs: IN*N*K.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <string>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/affine_shapes.hpp"
#include "typenet/spec/detail/checks.hpp"

namespace typenet {

namespace diag {
template <class Layer, class Spec, class Pieces, bool Enabled>
struct maxout_pieces {
  static constexpr bool value = Enabled && Pieces::value >= 2;
  struct report {
    static_assert(!Enabled || Pieces::value >= 2,
                  "Maxout<N, K> requires K >= 2 pieces: the max over one piece is a plain "
                  "Dense<N>");
    static constexpr bool reported = true;
  };
};

}  // namespace diag

template <std::size_t N, std::size_t K>
struct Maxout : detail::affine_shapes<N, K, true> {
  static constexpr std::size_t units = N;
  static constexpr std::size_t pieces = K;

  template <class In, std::size_t I>
  struct check {
   private:
    using units = diag::requires_units<diag::layer<I>, Maxout, diag::units<N>, true>;
    using pieces = diag::maxout_pieces<diag::layer<I>, Maxout, diag::pieces<K>, units::value>;
    using input =
        diag::requires_vector_input<diag::layer<I>, Maxout, diag::input_t<In>, pieces::value>;
    static_assert(units::report::reported && pieces::report::reported && input::report::reported);

   public:
    static constexpr bool value = input::value;
  };

  static std::string name() {
    return "Maxout(" + std::to_string(N) + ", " + std::to_string(K) + " pieces)";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
