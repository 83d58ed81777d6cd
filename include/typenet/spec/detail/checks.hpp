// Rules shared by several layers, and the way every check is written.
//
// A check is a class template whose arguments carry the layer index, the spec and the numbers,
// so that they appear in the compiler's first lines. Its `value` is computed quietly; its nested
// `report` holds the static_asserts that phrase the rule. The two are apart because clang marks
// a class whose static_assert failed as invalid, and every use of its `value` would then be a
// second, confusing error. The user of a check runs its report from a static_assert of its own,
//   static_assert(first::report::reported && second::report::reported);
// which g++ and clang both treat as just one more failed assertion (an alias or a variable that
// names the report would be marked invalid by clang and cascade). A check is Enabled only when
// the rules before it passed, so that one mistake gives exactly one error (tests/compile_fail
// counts them).
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"

namespace typenet::diag {

template <class S>
struct input_of;
template <std::size_t... D>
struct input_of<Shape<D...>> {
  using type = input<D...>;
};
template <class S>
using input_t = typename input_of<S>::type;

template <class Input>
inline constexpr std::size_t rank_of = 0;
template <std::size_t... D>
inline constexpr std::size_t rank_of<input<D...>> = sizeof...(D);

// Size of axis K of an input, 0 when it has no such axis (the check reporting that is elsewhere).
template <class Input, std::size_t K>
inline constexpr std::size_t dim_of = 0;
template <std::size_t K, std::size_t... D>
inline constexpr std::size_t dim_of<input<D...>, K> =
    K < sizeof...(D) ? Shape<D...>::dims[K < sizeof...(D) ? K : 0] : 0;

// A layer whose rules are one check.
template <class Check>
struct single_check {
  static_assert(Check::report::reported);
  static constexpr bool value = Check::value;
};

template <class Layer, class Spec, class Input, bool Enabled>
struct requires_image_input {
  static constexpr bool value = Enabled && rank_of<Input> == 3;
  struct report {
    static_assert(!Enabled || rank_of<Input> == 3,
                  "this layer (convolution, pooling or LocalResponseNorm) requires a C x H x W "
                  "image input; the input shows the shape that reaches it: a Flatten, Dense or "
                  "GlobalAvgPool before it made it a vector, or Input<...> has the wrong rank");
    static constexpr bool reported = true;
  };
};

template <class Layer, class Spec, class Input, bool Enabled>
struct requires_vector_input {
  static constexpr bool value = Enabled && rank_of<Input> == 1;
  struct report {
    static_assert(!Enabled || rank_of<Input> == 1 || rank_of<Input> == 2,
                  "Dense<N> and Maxout<N, K> require a 1-D input (a feature vector); typenet does "
                  "not flatten implicitly: insert tn::Flatten (or tn::GlobalAvgPool) before this "
                  "layer");
    static_assert(!Enabled || rank_of<Input> != 2,
                  "Dense<N> and Maxout<N, K> require a 1-D input, and this is a Steps x Features "
                  "sequence: write tn::TimeDistributed<tn::Dense<N>> to apply it at every step, "
                  "drop tn::ReturnSequences from the recurrent layer before it to keep only the "
                  "last step, or tn::Flatten");
    static constexpr bool reported = true;
  };
};

template <class Layer, class Spec, class Input, bool Enabled>
struct requires_vector_or_image_input {
  static constexpr bool value = Enabled && (rank_of<Input> == 1 || rank_of<Input> == 3);
  struct report {
    static_assert(!Enabled || rank_of<Input> == 1 || rank_of<Input> == 3,
                  "this layer (BatchNorm, PReLU) normalises or scales per channel and requires a "
                  "feature vector (N) or a C x H x W input");
    static constexpr bool reported = true;
  };
};

template <class Layer, class Spec, class Units, bool Enabled>
struct requires_units {
  static constexpr bool value = Enabled && Units::value > 0;
  struct report {
    static_assert(!Enabled || Units::value > 0,
                  "this layer (Dense, Maxout) requires at least one output unit: its output "
                  "would be empty");
    static constexpr bool reported = true;
  };
};

}  // namespace typenet::diag
