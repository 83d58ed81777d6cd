// Forward and backpropagation through time of the recurrent cells (SimpleRNN, LSTM, GRU), one
// direction at a time, defined and instantiated once for float and double in libtypenet
// (src/kernel/recurrent.cpp). Sizes are run-time values here, so that every network shares one
// compiled kernel; the layer (layers/recurrent.hpp) owns every buffer, sized at construction.
//
// Layouts, all row-major and sample-major like every typenet tensor:
//   x        batch x steps x features
//   states   batch x steps x (directions * hidden): the state of each direction at each step,
//            direction d in columns [d*hidden, (d+1)*hidden)
//   gates    batch x steps x gates*hidden, per direction: the input projection of every step
//            (one GEMM over batch*steps rows), then, after forward, the gates' activations
//   previous batch x steps x hidden, per direction: the state each step started from (zero at
//            the direction's first step), the operand of the hidden weight's gradient
//   cells    batch x steps x hidden, per direction: LSTM's cell state c_t; GRU's hidden
//            projection of the new gate, h_{t-1} W_hn^T + b_hn (the reset gate multiplies it)
#pragma once

#include <cstddef>

namespace typenet::kernel {

enum class RecurrentCell { rnn_tanh, rnn_relu, lstm, gru };

struct RecurrentGeometry {
  RecurrentCell cell = RecurrentCell::lstm;
  std::size_t steps = 1, features = 1, hidden = 1;
  std::size_t directions = 1;  // the width of states is directions * hidden
  bool return_sequences = false;

  constexpr std::size_t gates() const {
    return cell == RecurrentCell::lstm ? 4 : cell == RecurrentCell::gru ? 3 : 1;
  }
  constexpr std::size_t gate_width() const { return gates() * hidden; }
  constexpr std::size_t state_width() const { return directions * hidden; }
};

// One direction's parameters (PyTorch's weight_ih, weight_hh, bias_ih, bias_hh; the biases null
// without Bias) and their gradients.
template <class T>
struct RecurrentWeights {
  const T* input_weight;   // gates*hidden x features
  const T* hidden_weight;  // gates*hidden x hidden
  const T* input_bias;     // gates*hidden, or null
  const T* hidden_bias;    // gates*hidden, or null
};
template <class T>
struct RecurrentGradients {
  T* input_weight;
  T* hidden_weight;
  T* input_bias;  // null without bias
  T* hidden_bias;
};

// The buffers of one direction, laid out as above.
template <class T>
struct RecurrentTrace {
  T* gates;
  T* previous;
  T* cells;  // LSTM and GRU only
};

// Runs direction `direction` (0 forward in time, 1 backward) over the batch and writes its
// columns of states; trace receives what backward needs.
template <class T>
void recurrent_forward(const RecurrentGeometry& g, std::size_t direction, const T* x,
                       const RecurrentWeights<T>& w, T* states, const RecurrentTrace<T>& trace,
                       std::size_t batch);

// Backpropagation through time of direction `direction`, from the gradient of the layer's
// output dy (batch x steps x state_width with return_sequences, else batch x state_width: the
// final states) after its forward pass. Overwrites the parameter gradients; dx (may be null)
// is overwritten when accumulate_dx is false, added to otherwise (the second direction).
// dgates: recurrent_dgates_size(g, batch) scalars. The running state gradients of each thread
// live in its kernel::scratch.
template <class T>
void recurrent_backward(const RecurrentGeometry& g, std::size_t direction, const T* x,
                        const RecurrentWeights<T>& w, const RecurrentTrace<T>& trace, const T* dy,
                        T* dx, bool accumulate_dx, const RecurrentGradients<T>& dw, T* dgates,
                        std::size_t batch);

// Scalars of recurrent_backward's dgates buffer: GRU keeps the input and the hidden
// projections' gradients apart (they differ in the new gate).
constexpr std::size_t recurrent_dgates_size(const RecurrentGeometry& g, std::size_t batch) {
  return batch * g.steps * g.gate_width() * (g.cell == RecurrentCell::gru ? 2 : 1);
}

}  // namespace typenet::kernel
