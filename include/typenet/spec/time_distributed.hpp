// TimeDistributed<Spec>: the layer Spec applied at every step of a sequence, with the same
// parameters at each step (Keras' TimeDistributed; PyTorch's Linear on a (batch, steps, features)
// tensor). Input Steps x Features; Spec is bound to Features and its output gets the Steps axis
// in front: TimeDistributed<Dense<N>> maps Steps x F to Steps x N. Parameters: Spec's, with its
// state_dict names. MACs: Steps times Spec's.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <string>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/detail/checks.hpp"

namespace typenet {

namespace diag {
template <class Layer, class Spec, class Input>
struct time_distributed_input {
  static constexpr bool value = rank_of<Input> == 2;
  struct report {
    static_assert(value,
                  "TimeDistributed<Spec> requires a Steps x Features sequence input (a recurrent "
                  "layer with tn::ReturnSequences, or Input<Steps, Features>)");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

namespace detail {
template <std::size_t Steps, class S>
struct prepend_steps {
  using type = InvalidShape;
};
template <std::size_t Steps, std::size_t... D>
struct prepend_steps<Steps, Shape<D...>> {
  using type = Shape<Steps, D...>;
};
template <class In>
using step_shape = Shape<(In::rank == 2 ? In::dims[In::rank == 2 ? 1 : 0] : 1)>;
}  // namespace detail

template <class Spec>
struct TimeDistributed {
  using inner = Spec;

  template <class In, std::size_t I>
  struct check {
   private:
    using input = diag::time_distributed_input<diag::layer<I>, TimeDistributed, diag::input_t<In>>;
    static_assert(input::report::reported);
    // The inner layer's own rules, at the same index, only once the input is a sequence.
    static constexpr bool inner_ok = [] {
      if constexpr (input::value)
        return detail::check_t<Spec, detail::step_shape<In>, I>::value;
      else
        return false;
    }();

   public:
    static constexpr bool value = inner_ok;
  };

  template <class In>
  struct shapes {
    using step = bind<Spec, detail::step_shape<In>>;
    using output = typename detail::prepend_steps<In::dims[0], typename step::output_type>::type;
    using parameters = typename step::parameter_shapes;
    static constexpr std::size_t macs = In::dims[0] * step::macs;
  };

  static std::string name() { return "TimeDistributed(" + Spec::name() + ")"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
