// Recurrent layers on a sequence, Keras' names with PyTorch's parameters:
//   SimpleRNN<H, Options...>  h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act tanh or
//                             ReLU (torch.nn.RNN, nonlinearity 'tanh' / 'relu')
//   LSTM<H, Options...>       gates i, f, g, o in that order (torch.nn.LSTM)
//   GRU<H, Options...>        gates r, z, n in that order, r applied to the hidden projection
//                             including b_hn (torch.nn.GRU)
// Input: Steps x Features (tn::Input<Steps, Features>, one sample; the batch is a run-time
// value). Output: Hidden, the last step's state, or with tn::ReturnSequences Steps x Hidden, the
// state at every step. tn::Bidirectional runs a second direction from the last step back to the
// first and concatenates: 2*Hidden per step; without ReturnSequences the forward direction's
// final state beside the backward direction's final state (its state at step 0: PyTorch's h_n,
// what Keras' Bidirectional returns). The state starts at zero for every sequence.
// Options, in any order: tn::ReturnSequences, tn::Bidirectional, tn::Bias<bool>, and for
// SimpleRNN tn::Tanh (the default) or tn::ReLU.
// Parameters per direction, PyTorch's names, shapes and order: weight_ih_l0 (G*H x Features),
// weight_hh_l0 (G*H x H), bias_ih_l0 (G*H), bias_hh_l0 (G*H), G = 1, 4, 3 gates; the backward
// direction's carry the suffix _reverse. MACs: Steps * directions * G*H * (Features + H), the
// two projections (the gate arithmetic is element-wise and not counted).
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <array>
#include <boost/mp11/list.hpp>
#include <boost/mp11/set.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/activation.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/options.hpp"

namespace typenet {

// Output the state at every step (Steps x Hidden) instead of the last step's (Hidden).
struct ReturnSequences {
  using option_kind = struct return_sequences_option;
};
// A second direction over the reversed sequence, concatenated after the forward one.
struct Bidirectional {
  using option_kind = struct bidirectional_option;
};

namespace detail {

enum class Cell { rnn_tanh, rnn_relu, lstm, gru };

// The kind of a recurrent layer's option; SimpleRNN's activation is given as the activation's
// own spec (tn::ReLU), which is a layer and not an option elsewhere.
template <class T>
struct recurrent_option_kind {
  using type = option_kind_t<T>;
};
template <>
struct recurrent_option_kind<ReLU> {
  using type = struct recurrent_activation_option;
};
template <>
struct recurrent_option_kind<Tanh> {
  using type = struct recurrent_activation_option;
};

template <class Allowed, class... Options>
struct recurrent_option_rules {
  static constexpr bool known =
      ((boost::mp11::mp_contains<Allowed, typename recurrent_option_kind<Options>::type>::value) &&
       ...);
  static constexpr bool unique =
      !known || boost::mp11::mp_is_set<
                    boost::mp11::mp_list<typename recurrent_option_kind<Options>::type...>>::value;
};

using recurrent_options =
    boost::mp11::mp_list<return_sequences_option, bidirectional_option, bias_option>;
using simple_rnn_options =
    boost::mp11::mp_push_back<recurrent_options, recurrent_activation_option>;

// PyTorch's state_dict names of one layer's tensors (layer l0), in its order.
template <bool WithBias, bool Both>
constexpr auto recurrent_parameter_names() {
  constexpr std::size_t per_direction = WithBias ? 4 : 2;
  std::array<std::string_view, per_direction*(Both ? 2 : 1)> names{};
  constexpr std::array<std::string_view, 4> forward{"weight_ih_l0", "weight_hh_l0", "bias_ih_l0",
                                                    "bias_hh_l0"};
  constexpr std::array<std::string_view, 4> backward{"weight_ih_l0_reverse", "weight_hh_l0_reverse",
                                                     "bias_ih_l0_reverse", "bias_hh_l0_reverse"};
  for (std::size_t k = 0; k < per_direction; ++k) {
    names[k] = forward[k];
    if constexpr (Both) names[per_direction + k] = backward[k];
  }
  return names;
}

}  // namespace detail

namespace diag {
template <class Layer, class Spec, bool Simple, class... Options>
struct recurrent_options {
  using rules = typenet::detail::recurrent_option_rules<
      std::conditional_t<Simple, typenet::detail::simple_rnn_options,
                         typenet::detail::recurrent_options>,
      Options...>;
  static constexpr bool value = rules::known && rules::unique;
  struct report {
    static_assert(!Simple || rules::known,
                  "SimpleRNN<Hidden, Options...> takes as options only tn::ReturnSequences, "
                  "tn::Bidirectional, tn::Bias<bool> and its activation, tn::Tanh (the default) "
                  "or tn::ReLU");
    static_assert(Simple || rules::known,
                  "LSTM<Hidden, Options...> and GRU<Hidden, Options...> take as options only "
                  "tn::ReturnSequences, tn::Bidirectional and tn::Bias<bool>");
    static_assert(rules::unique,
                  "a recurrent layer (SimpleRNN, LSTM, GRU) takes each option at most once");
    static constexpr bool reported = true;
  };
};

template <class Layer, class Spec, class Hidden, bool Enabled>
struct recurrent_hidden {
  static constexpr bool value = Enabled && Hidden::value > 0;
  struct report {
    static_assert(!Enabled || Hidden::value > 0,
                  "a recurrent layer (SimpleRNN, LSTM, GRU) requires Hidden >= 1: its state, and "
                  "its output, would be empty");
    static constexpr bool reported = true;
  };
};

template <class Layer, class Spec, class Input, bool Enabled>
struct requires_sequence_input {
  static constexpr bool value = Enabled && rank_of<Input> == 2;
  struct report {
    static_assert(!Enabled || rank_of<Input> != 3,
                  "a recurrent layer (SimpleRNN, LSTM, GRU) requires a Steps x Features sequence, "
                  "not a C x H x W image: read a one-channel H x W image as Input<H, W> (H steps "
                  "of W features), or put the recurrent layer before the convolutions' Flatten");
    static_assert(!Enabled || rank_of<Input> != 1,
                  "a recurrent layer (SimpleRNN, LSTM, GRU) requires a Steps x Features sequence, "
                  "not a vector: give the recurrent layer before it tn::ReturnSequences, or "
                  "declare the input as Input<Steps, Features>");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

namespace detail {

// The shape rule, checks and options SimpleRNN, LSTM and GRU share. Spec is the public spec
// (it appears in the diagnostics); Simple: SimpleRNN's options are allowed.
template <class Spec, Cell Kind, std::size_t H, bool Simple, class... Options>
struct recurrent_base {
  static constexpr Cell cell = Kind;
  static constexpr std::size_t hidden = H;
  static constexpr std::size_t gates = Kind == Cell::lstm ? 4 : Kind == Cell::gru ? 3 : 1;
  static constexpr bool return_sequences = has_option<return_sequences_option, Options...>;
  static constexpr bool bidirectional = has_option<bidirectional_option, Options...>;
  static constexpr std::size_t directions = bidirectional ? 2 : 1;
  static constexpr bool bias = option_or<Bias<true>, Options...>::value;
  // PyTorch's state_dict names of the parameters, in the order of parameter_shapes.
  static constexpr auto parameter_names = recurrent_parameter_names<bias, bidirectional>();

  template <class In, std::size_t I>
  struct check {
   private:
    using options = diag::recurrent_options<diag::layer<I>, Spec, Simple, Options...>;
    using hidden = diag::recurrent_hidden<diag::layer<I>, Spec, diag::hidden<H>, options::value>;
    using input =
        diag::requires_sequence_input<diag::layer<I>, Spec, diag::input_t<In>, hidden::value>;
    static_assert(options::report::reported && hidden::report::reported && input::report::reported);

   public:
    static constexpr bool value = input::value;
  };

  template <class In>
  struct shapes {
    static constexpr std::size_t steps = In::dims[0];
    static constexpr std::size_t features = In::dims[1];
    using output =
        std::conditional_t<return_sequences, Shape<steps, directions * H>, Shape<directions * H>>;
    using input_weight = Shape<gates * H, features>;
    using hidden_weight = Shape<gates * H, H>;
    using direction = std::conditional_t<
        bias, boost::mp11::mp_list<input_weight, hidden_weight, Shape<gates * H>, Shape<gates * H>>,
        boost::mp11::mp_list<input_weight, hidden_weight>>;
    using parameters =
        std::conditional_t<bidirectional, boost::mp11::mp_append<direction, direction>, direction>;
    static constexpr std::size_t macs = steps * directions * gates * H * (features + H);
  };

  static std::string describe(const char* kind) {
    std::string text = std::string(kind) + "(" + std::to_string(H);
    if (Kind == Cell::rnn_relu) text += ", relu";
    if (bidirectional) text += ", bidirectional";
    if (return_sequences) text += ", sequences";
    if (!bias) text += ", no bias";
    return text + ")";
  }
};

}  // namespace detail

template <std::size_t Hidden, class... Options>
struct SimpleRNN
    : detail::recurrent_base<SimpleRNN<Hidden, Options...>,
                             (std::is_same_v<Options, ReLU> || ...) ? detail::Cell::rnn_relu
                                                                    : detail::Cell::rnn_tanh,
                             Hidden, true, Options...> {
  static std::string name() { return SimpleRNN::describe("SimpleRNN"); }
};

template <std::size_t Hidden, class... Options>
struct LSTM : detail::recurrent_base<LSTM<Hidden, Options...>, detail::Cell::lstm, Hidden, false,
                                     Options...> {
  static std::string name() { return LSTM::describe("LSTM"); }
};

template <std::size_t Hidden, class... Options>
struct GRU : detail::recurrent_base<GRU<Hidden, Options...>, detail::Cell::gru, Hidden, false,
                                    Options...> {
  static std::string name() { return GRU::describe("GRU"); }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
