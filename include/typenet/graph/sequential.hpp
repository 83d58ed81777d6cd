// Sequential<Input<...>, Layers...>: a chain of layers, each bound to the output shape of the
// one before it. Net::layer<I> is the I-th layer after Input (from 0), bound to its input.
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <initializer_list>
#include <type_traits>
#include <utility>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/input.hpp"

namespace typenet {

namespace detail {
// Over a list rather than a fold expression: clang limits a fold to 256 operands, and networks
// have more layers than that.
constexpr bool all_of(std::initializer_list<bool> flags) {
  for (bool flag : flags)
    if (!flag) return false;
  return true;
}
constexpr std::size_t sum(std::initializer_list<std::size_t> values) {
  std::size_t total = 0;
  for (std::size_t value : values) total += value;
  return total;
}
}  // namespace detail

namespace diag {
template <class Layer, class Argument>
struct is_layer_spec {
  static constexpr bool value = typenet::detail::LayerSpec<Argument>;
  struct report {
    static_assert(!typenet::detail::is_input<Argument>,
                  "Sequential<Input<...>, Layers...> takes Input<...> only as its first "
                  "argument");
    static_assert(typenet::detail::is_input<Argument> || value,
                  "Sequential<Input<...>, Layers...> requires every argument after Input<...> "
                  "to be a layer spec (Conv2D<...>, ReLU, Dense<N>, ...); options such as "
                  "tn::Kernel<K> go inside the layer's own <...>");
    static constexpr bool reported = true;
  };
};

// In a report of its own, not in Sequential's body: clang marks a class whose own static_assert
// failed as invalid, and every later use of the network would be a second error.
template <std::size_t Count, class First>
struct starts_with_input {
  struct report {
    static_assert(Count != 0,
                  "Sequential<Input<...>, Layers...> is empty: it requires at least an Input<...> "
                  "giving the shape of one sample, e.g. Sequential<Input<1, 28, 28>, Flatten, "
                  "Dense<10>>");
    static_assert(Count == 0 || typenet::detail::is_input<First>,
                  "Sequential<Input<...>, Layers...> requires its first argument to be "
                  "tn::Input<...>, the shape of one sample (Input<C, H, W> or Input<N>)");
    static constexpr bool reported = true;
  };
};

template <class Specs, class Indices>
struct layer_specs;
template <class... Specs, std::size_t... I>
struct layer_specs<boost::mp11::mp_list<Specs...>, std::index_sequence<I...>> {
  static_assert(typenet::detail::all_of({is_layer_spec<layer<I>, Specs>::report::reported...}));
  static constexpr bool value = typenet::detail::all_of({is_layer_spec<layer<I>, Specs>::value...});
};
}  // namespace diag

namespace detail {

template <class... Ts>
struct first_argument {
  using type = void;
};
template <class T, class... Ts>
struct first_argument<T, Ts...> {
  using type = T;
};

template <class T>
struct input_shape_of {
  using type = InvalidShape;
};
template <std::size_t... D>
struct input_shape_of<Input<D...>> {
  using type = std::conditional_t<diag::input_dims<Input<D...>>::value, Shape<D...>, InvalidShape>;
};

// Binds each spec to the output of the one before it. Written as a plain recursion rather
// than mp_fold so that a failing layer's diagnostic is a few lines shorter: every level of
// template machinery between the user's line and the broken rule is a line of compiler output.
template <class In, class Bound, class... Specs>
struct bind_chain {
  using output = In;
  using layers = Bound;
};
template <class In, class... Bound, class Spec, class... Specs>
struct bind_chain<In, boost::mp11::mp_list<Bound...>, Spec, Specs...>
    : bind_chain<typename BoundLayer<Spec, In, sizeof...(Bound)>::output_type,
                 boost::mp11::mp_list<Bound..., BoundLayer<Spec, In, sizeof...(Bound)>>, Specs...> {
};

// The chain only when every argument is a layer spec. Only named here: Sequential instantiates
// it directly, one "required from" line fewer between the user's line and a broken rule.
struct unbound_chain {
  using output = InvalidShape;
  using layers = boost::mp11::mp_list<>;
};
template <class In, class Specs, bool SpecsOk>
using bind_specs = std::conditional_t<
    SpecsOk,
    boost::mp11::mp_rename<
        boost::mp11::mp_append<boost::mp11::mp_list<In, boost::mp11::mp_list<>>, Specs>,
        bind_chain>,
    unbound_chain>;

template <class... Bound>
constexpr std::size_t sum_parameters(boost::mp11::mp_list<Bound...>) {
  return sum({Bound::parameter_count...});
}
template <class... Bound>
constexpr std::size_t sum_macs(boost::mp11::mp_list<Bound...>) {
  return sum({Bound::macs...});
}

template <class Layers, std::size_t I>
struct layer_index {
  static constexpr bool value = I < boost::mp11::mp_size<Layers>::value;
  struct report {
    static_assert(value,
                  "Net::layer<I> requires I < Net::depth, the number of layers after Input<...> "
                  "(counted from 0)");
    static constexpr bool reported = true;
  };
};

}  // namespace detail

template <class... Arguments>
struct Sequential {
 private:
  using arguments = boost::mp11::mp_list<Arguments...>;
  using first = typename detail::first_argument<Arguments...>::type;
  static_assert(diag::starts_with_input<sizeof...(Arguments), first>::report::reported);

  // Everything after Input<...>.
  using specs = boost::mp11::mp_drop_c<arguments, (sizeof...(Arguments) > 0 ? 1 : 0)>;
  static_assert(diag::input_dims<first>::report::reported);
  static constexpr bool specs_ok =
      diag::layer_specs<specs, std::make_index_sequence<boost::mp11::mp_size<specs>::value>>::value;
  using chain = detail::bind_specs<typename detail::input_shape_of<first>::type, specs, specs_ok>;

 public:
  using input_type = typename detail::input_shape_of<first>::type;
  // The bound layers, in order: BoundLayer<Spec, InputShape, Index>.
  using layers = typename chain::layers;
  template <std::size_t I>
  using layer = typename detail::checked_at<layers, I, detail::layer_index<layers, I>, void>::type;
  static constexpr std::size_t depth = boost::mp11::mp_size<layers>::value;

  using output_type = typename chain::output;
  static constexpr input_type input_shape{};
  static constexpr output_type output_shape{};
  static constexpr std::size_t parameter_count = detail::sum_parameters(layers{});
  static constexpr std::size_t macs = detail::sum_macs(layers{});
  // False when any layer broke a rule (its static_assert has said which).
  static constexpr bool ok = ShapeType<output_type>;
};

}  // namespace typenet
