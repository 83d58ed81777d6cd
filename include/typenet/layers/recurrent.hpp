// SimpleRNN, LSTM and GRU: forward and backpropagation through time in kernel/recurrent.hpp
// (compiled once in libtypenet); shape rule, options and PyTorch's parameter names in
// spec/recurrent.hpp. Every buffer of the time loop is the layer's own, sized for the batch
// capacity at construction, so no step allocates.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>

#include "typenet/kernel/recurrent.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/recurrent.hpp"

namespace typenet {

namespace detail {

// The layer of any recurrent spec (SimpleRNN, LSTM, GRU) bound to In = Steps x Features.
template <class Spec, class In, class T>
class recurrent_layer : public with_parameters<T, Spec::directions*(Spec::bias ? 4 : 2)> {
  static constexpr std::size_t steps = In::dims[0];
  static constexpr std::size_t features = In::dims[1];
  static constexpr std::size_t H = Spec::hidden;
  static constexpr std::size_t D = Spec::directions;
  static constexpr std::size_t per_direction = Spec::bias ? 4 : 2;
  using Out = typename bind<Spec, In>::output_type;

  static constexpr kernel::RecurrentGeometry geometry{
      Spec::cell == Cell::lstm       ? kernel::RecurrentCell::lstm
      : Spec::cell == Cell::gru      ? kernel::RecurrentCell::gru
      : Spec::cell == Cell::rnn_relu ? kernel::RecurrentCell::rnn_relu
                                     : kernel::RecurrentCell::rnn_tanh,
      steps,
      features,
      H,
      D,
      Spec::return_sequences};
  static constexpr std::size_t GH = geometry.gate_width();
  static constexpr bool has_cells = Spec::cell == Cell::lstm || Spec::cell == Cell::gru;

 public:
  explicit recurrent_layer(std::size_t capacity = 1)
      : capacity_(capacity),
        states_(capacity * steps * D * H),
        gates_(D * capacity * steps * GH),
        previous_(D * capacity * steps * H),
        cells_(has_cells ? D * capacity * steps * H : 0),
        dgates_(kernel::recurrent_dgates_size(geometry, capacity)) {
    // Weights are drawn by the model's initialiser with these fans (the gates' rows count as
    // outputs); biases start at zero like every typenet bias. PyTorch draws all four tensors
    // from U(-1/sqrt(H), 1/sqrt(H)): init::Function can do the same.
    for (std::size_t d = 0; d < D; ++d) {
      auto* p = this->params_.data() + d * per_direction;
      p[0] = Parameter<T>(ParameterKind::weight, GH * features, features, GH);
      p[1] = Parameter<T>(ParameterKind::weight, GH * H, H, GH);
      if constexpr (Spec::bias) {
        p[2] = Parameter<T>(ParameterKind::bias, GH, features, GH);
        p[3] = Parameter<T>(ParameterKind::bias, GH, H, GH);
      }
    }
  }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    const std::size_t batch = x.batch();
    check_capacity(batch, capacity_, batch, "recurrent layer");
    y.set_batch(batch);
    forward_batch_ = batch;
    for (std::size_t d = 0; d < D; ++d)
      kernel::recurrent_forward<T>(geometry, d, x.data(), weights(d), states_.data(), trace(d),
                                   batch);
    if constexpr (Spec::return_sequences) {
      std::copy_n(states_.data(), batch * steps * D * H, y.data());
    } else {
      // The forward direction's state after the last step, the backward one's after step 0.
      for (std::size_t n = 0; n < batch; ++n)
        for (std::size_t d = 0; d < D; ++d) {
          const std::size_t t = d == 0 ? steps - 1 : 0;
          std::copy_n(states_.data() + (n * steps + t) * D * H + d * H, H,
                      y.data() + n * D * H + d * H);
        }
    }
  }

  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    const std::size_t batch = x.batch();
    check_backward_batch(forward_batch_, batch, "recurrent layer");
    if (dx != nullptr) dx->set_batch(batch);
    for (std::size_t d = 0; d < D; ++d)
      kernel::recurrent_backward<T>(geometry, d, x.data(), weights(d), trace(d), dy.data(),
                                    dx != nullptr ? dx->data() : nullptr, d > 0, gradients(d),
                                    dgates_.data(), batch);
  }

  // The state of every step and direction from the last forward pass: batch x steps x D*H.
  const AlignedBuffer<T>& states() const { return states_; }

 private:
  kernel::RecurrentWeights<T> weights(std::size_t d) const {
    const auto* p = this->params_.data() + d * per_direction;
    if constexpr (Spec::bias)
      return {p[0].value.data(), p[1].value.data(), p[2].value.data(), p[3].value.data()};
    else
      return {p[0].value.data(), p[1].value.data(), nullptr, nullptr};
  }
  kernel::RecurrentGradients<T> gradients(std::size_t d) {
    auto* p = this->params_.data() + d * per_direction;
    if constexpr (Spec::bias)
      return {p[0].gradient.data(), p[1].gradient.data(), p[2].gradient.data(),
              p[3].gradient.data()};
    else
      return {p[0].gradient.data(), p[1].gradient.data(), nullptr, nullptr};
  }
  kernel::RecurrentTrace<T> trace(std::size_t d) {
    const std::size_t gates = capacity_ * steps * GH, hidden = capacity_ * steps * H;
    return {gates_.data() + d * gates, previous_.data() + d * hidden,
            has_cells ? cells_.data() + d * hidden : nullptr};
  }

  std::size_t capacity_;
  std::size_t forward_batch_ = 0;
  AlignedBuffer<T> states_, gates_, previous_, cells_, dgates_;
};

}  // namespace detail

template <std::size_t H, class... Options, class In, class T>
class Layer<SimpleRNN<H, Options...>, In, T>
    : public detail::recurrent_layer<SimpleRNN<H, Options...>, In, T> {
 public:
  using detail::recurrent_layer<SimpleRNN<H, Options...>, In, T>::recurrent_layer;
};
template <std::size_t H, class... Options, class In, class T>
class Layer<LSTM<H, Options...>, In, T>
    : public detail::recurrent_layer<LSTM<H, Options...>, In, T> {
 public:
  using detail::recurrent_layer<LSTM<H, Options...>, In, T>::recurrent_layer;
};
template <std::size_t H, class... Options, class In, class T>
class Layer<GRU<H, Options...>, In, T> : public detail::recurrent_layer<GRU<H, Options...>, In, T> {
 public:
  using detail::recurrent_layer<GRU<H, Options...>, In, T>::recurrent_layer;
};

}  // namespace typenet
