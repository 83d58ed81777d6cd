// Recurrent cells: the input projection of every step as one GEMM, then the steps in order, each
// one GEMM of the previous state with the hidden weight and one fused element-wise pass over all
// gates (Eigen's vectorised logistic and tanh). The samples of a batch are independent through
// time, so each thread runs the whole time loop for its own rows: no synchronisation per step.
// Gradients (backpropagation through time, Werbos 1990) run the steps backwards the same way and
// leave the weight gradients to GEMMs over all steps at the end: one for SimpleRNN and LSTM, whose
// input and hidden projections share their gradient, two for GRU; one more for the input's. The
// hidden weight is packed for Eigen's kernel once per pass, not once per step.
#include "typenet/kernel/recurrent.hpp"

#include <Eigen/Core>
#include <algorithm>

#include "typenet/kernel/gemm.hpp"
#include "typenet/kernel/packed_gemm.hpp"
#include "typenet/kernel/parallel.hpp"
#include "typenet/kernel/scratch.hpp"

namespace typenet::kernel {

namespace {

template <class T>
using Row = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <class T>
using ConstRow = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

// The step a direction takes k-th: forward in time, or from the last step back.
inline std::size_t step_at(const RecurrentGeometry& g, std::size_t direction, std::size_t k) {
  return direction == 0 ? k : g.steps - 1 - k;
}

// gates = x W_ih^T + the biases (for GRU's new gate only b_in: b_hn goes inside the reset gate).
// The biases are written first and the GEMM adds to them: one pass over gates instead of a
// zeroing and a bias pass.
template <class T>
void input_projection(const RecurrentGeometry& g, const T* x, const RecurrentWeights<T>& w,
                      T* gates, std::size_t batch) {
  const std::size_t rows = batch * g.steps, width = g.gate_width(), H = g.hidden;
  const bool bias = w.input_bias != nullptr;
  const std::size_t shared = g.cell == RecurrentCell::gru ? 2 * H : width;
  kernel::parallel_for(
      width, rows * width * g.features, [&](std::size_t begin, std::size_t end, std::size_t) {
        const std::size_t split = std::clamp(shared, begin, end);
        if (bias)
          for (std::size_t r = 0; r < rows; ++r) {
            T* row = gates + r * width;
            for (std::size_t j = begin; j < split; ++j) row[j] = w.input_bias[j] + w.hidden_bias[j];
            std::copy(w.input_bias + split, w.input_bias + end, row + split);
          }
        gemm(Op::none, Op::transpose, rows, end - begin, g.features, x, g.features,
             w.input_weight + begin * g.features, g.features, gates + begin, width, bias);
      });
}

}  // namespace

template <class T>
void recurrent_forward(const RecurrentGeometry& g, std::size_t direction, const T* x,
                       const RecurrentWeights<T>& w, T* states, const RecurrentTrace<T>& trace,
                       std::size_t batch) {
  const std::size_t T_ = g.steps, H = g.hidden, GH = g.gate_width(), S = g.state_width();
  const Eigen::Index h = Eigen::Index(H);
  input_projection(g, x, w, trace.gates, batch);
  const std::size_t work = batch * T_ * GH * H;
  kernel::parallel_for(batch, work, [&](std::size_t b, std::size_t e, std::size_t) {
    const std::size_t m = e - b;
    // The hidden weight, packed for the GEMM once instead of at every step; GRU: the hidden
    // projection of this step, kept apart from the input's.
    const std::size_t packed_size = gemm_packed_size<T>(m, GH, H);
    T* packed = scratch_for<T>(packed_size + (g.cell == RecurrentCell::gru ? m * GH : 0));
    T* projection = g.cell == RecurrentCell::gru ? packed + packed_size : nullptr;
    gemm_pack_b(Op::transpose, m, GH, H, w.hidden_weight, H, packed);
    for (std::size_t k = 0; k < T_; ++k) {
      const std::size_t t = step_at(g, direction, k);
      const std::size_t before = k > 0 ? step_at(g, direction, k - 1) : 0;
      for (std::size_t n = b; n < e; ++n) {
        T* previous = trace.previous + (n * T_ + t) * H;
        if (k == 0)
          std::fill(previous, previous + H, T(0));
        else
          std::copy_n(states + (n * T_ + before) * S + direction * H, H, previous);
      }
      const T* previous_rows = trace.previous + (b * T_ + t) * H;
      T* gate_rows = trace.gates + (b * T_ + t) * GH;
      if (g.cell == RecurrentCell::gru) {
        if (k > 0)
          gemm_packed_b(m, GH, H, previous_rows, T_ * H, packed, projection, GH, false);
        else
          std::fill(projection, projection + m * GH, T(0));
      } else if (k > 0) {
        gemm_packed_b(m, GH, H, previous_rows, T_ * H, packed, gate_rows, T_ * GH, true);
      }
      for (std::size_t n = b; n < e; ++n) {
        const std::size_t row = n * T_ + t;
        T* gate = trace.gates + row * GH;
        Row<T> out(states + row * S + direction * H, h);
        switch (g.cell) {
          case RecurrentCell::rnn_tanh: {
            Row<T> a(gate, h);
            a = a.tanh();
            out = a;
            break;
          }
          case RecurrentCell::rnn_relu: {
            Row<T> a(gate, h);
            a = a.max(T(0));
            out = a;
            break;
          }
          case RecurrentCell::lstm: {
            Row<T> i(gate, h), f(gate + H, h), c_in(gate + 2 * H, h), o(gate + 3 * H, h);
            Row<T> c(trace.cells + row * H, h);
            i = i.logistic();
            f = f.logistic();
            c_in = c_in.tanh();
            o = o.logistic();
            if (k > 0)
              c = f * ConstRow<T>(trace.cells + (n * T_ + before) * H, h) + i * c_in;
            else
              c = i * c_in;
            out = o * c.tanh();
            break;
          }
          case RecurrentCell::gru: {
            Row<T> r(gate, h), z(gate + H, h), nw(gate + 2 * H, h);
            const T* p = projection + (n - b) * GH;
            Row<T> hn(trace.cells + row * H, h);
            hn = ConstRow<T>(p + 2 * H, h);
            if (w.hidden_bias != nullptr) hn += ConstRow<T>(w.hidden_bias + 2 * H, h);
            r = (r + ConstRow<T>(p, h)).logistic();
            z = (z + ConstRow<T>(p + H, h)).logistic();
            nw = (nw + r * hn).tanh();
            out = nw + z * (ConstRow<T>(trace.previous + row * H, h) - nw);
            break;
          }
        }
      }
    }
  });
}

template <class T>
void recurrent_backward(const RecurrentGeometry& g, std::size_t direction, const T* x,
                        const RecurrentWeights<T>& w, const RecurrentTrace<T>& trace, const T* dy,
                        T* dx, bool accumulate_dx, const RecurrentGradients<T>& dw, T* dgates,
                        std::size_t batch) {
  const std::size_t T_ = g.steps, H = g.hidden, GH = g.gate_width(), S = g.state_width();
  const std::size_t F = g.features, FH = F + H;
  const Eigen::Index h = Eigen::Index(H);
  const bool gru = g.cell == RecurrentCell::gru;
  // GRU: the gradient of the hidden projection differs from the input's in the new gate
  // (r * dn instead of dn); the other cells share one.
  T* dinput = dgates;
  T* dhidden = gru ? dgates + batch * T_ * GH : dgates;
  const std::size_t work = batch * T_ * GH * H;
  kernel::parallel_for(batch, work, [&](std::size_t b, std::size_t e, std::size_t) {
    const std::size_t m = e - b;
    // The hidden weight packed once, as in forward; dL/dh_t carried back, then dL/dc_t (LSTM).
    const std::size_t packed_size = gemm_packed_size<T>(m, H, GH);
    T* packed = scratch_for<T>(packed_size + 2 * m * H);
    gemm_pack_b(Op::none, m, H, GH, w.hidden_weight, H, packed);
    T* running = packed + packed_size;
    T* dcell = running + m * H;
    std::fill(running, running + 2 * m * H, T(0));
    for (std::size_t k = T_; k-- > 0;) {
      const std::size_t t = step_at(g, direction, k);
      const std::size_t before = k > 0 ? step_at(g, direction, k - 1) : 0;
      for (std::size_t n = b; n < e; ++n) {
        const std::size_t row = n * T_ + t;
        Row<T> dh(running + (n - b) * H, h);
        if (g.return_sequences)
          dh += ConstRow<T>(dy + row * S + direction * H, h);
        else if (k == T_ - 1)
          dh += ConstRow<T>(dy + n * S + direction * H, h);
        const T* gate = trace.gates + row * GH;
        T* dgate = dinput + row * GH;
        switch (g.cell) {
          case RecurrentCell::rnn_tanh: {
            const ConstRow<T> a(gate, h);
            Row<T>(dgate, h) = dh * (T(1) - a * a);
            break;
          }
          case RecurrentCell::rnn_relu: {
            const ConstRow<T> a(gate, h);
            Row<T>(dgate, h) = (a > T(0)).select(dh, T(0));
            break;
          }
          case RecurrentCell::lstm: {
            const ConstRow<T> i(gate, h), f(gate + H, h), c_in(gate + 2 * H, h), o(gate + 3 * H, h);
            const ConstRow<T> c(trace.cells + row * H, h);
            Row<T> dc(dcell + (n - b) * H, h);
            // tanh(c) in the output gate's slot, then replaced by that gate's gradient.
            Row<T> tc(dgate + 3 * H, h);
            tc = c.tanh();
            dc += dh * o * (T(1) - tc * tc);
            tc = dh * tc * o * (T(1) - o);
            Row<T>(dgate, h) = dc * c_in * i * (T(1) - i);
            Row<T>(dgate + 2 * H, h) = dc * i * (T(1) - c_in * c_in);
            if (k > 0)
              Row<T>(dgate + H, h) =
                  dc * ConstRow<T>(trace.cells + (n * T_ + before) * H, h) * f * (T(1) - f);
            else
              Row<T>(dgate + H, h).setZero();
            dc *= f;
            break;
          }
          case RecurrentCell::gru: {
            const ConstRow<T> r(gate, h), z(gate + H, h), nw(gate + 2 * H, h);
            const ConstRow<T> hn(trace.cells + row * H, h);
            const ConstRow<T> previous(trace.previous + row * H, h);
            T* dh_gate = dhidden + row * GH;
            Row<T> dn(dgate + 2 * H, h);
            dn = dh * (T(1) - z) * (T(1) - nw * nw);
            Row<T>(dgate, h) = dn * hn * r * (T(1) - r);
            Row<T>(dgate + H, h) = dh * (previous - nw) * z * (T(1) - z);
            Row<T>(dh_gate, h) = ConstRow<T>(dgate, h);
            Row<T>(dh_gate + H, h) = ConstRow<T>(dgate + H, h);
            Row<T>(dh_gate + 2 * H, h) = dn * r;
            dh *= z;  // the direct path h_t = ... + z * h_{t-1}
            break;
          }
        }
      }
      // dL/dh_{t-1} through the hidden projection (added to GRU's direct path).
      if (k > 0)
        gemm_packed_b(m, H, GH, dhidden + (b * T_ + t) * GH, T_ * GH, packed, running, H, gru);
    }
  });

  const std::size_t rows = batch * T_;
  if (dw.input_bias != nullptr) {
    const auto sum_rows = [&](const T* d, T* bias) {
      std::fill(bias, bias + GH, T(0));
      for (std::size_t r = 0; r < rows; ++r)
        Row<T>(bias, Eigen::Index(GH)) += ConstRow<T>(d + r * GH, Eigen::Index(GH));
    };
    sum_rows(dinput, dw.input_bias);
    if (gru)
      sum_rows(dhidden, dw.hidden_bias);
    else
      std::copy_n(dw.input_bias, GH, dw.hidden_bias);
  }
  // The weight gradients, over every step at once: [dW_ih | dW_hh] = dgates^T [x | h_{t-1}], one
  // GEMM when the two projections share their gradient (the operands side by side in scratch),
  // two for GRU. The first step of a direction starts from a zero state, so its rows add nothing
  // to dW_hh. Each GEMM computes the transpose, the gates' long side as its row dimension (where
  // Eigen's kernel runs fastest); each thread transposes its own gates' columns into dW.
  T* inputs = gru ? nullptr : scratch_for<T>(rows * FH + FH * GH);
  T* transposed = gru ? scratch_for<T>(FH * GH) : inputs + rows * FH;
  if (!gru)
    for (std::size_t r = 0; r < rows; ++r) {
      std::copy_n(x + r * F, F, inputs + r * FH);
      std::copy_n(trace.previous + r * H, H, inputs + r * FH + F);
    }
  const std::size_t weights_work = rows * GH * FH;
  kernel::parallel_for(GH, weights_work, [&](std::size_t begin, std::size_t end, std::size_t) {
    if (gru) {
      gemm(Op::transpose, Op::none, F, end - begin, rows, x, F, dinput + begin, GH,
           transposed + begin, GH, false);
      gemm(Op::transpose, Op::none, H, end - begin, rows, trace.previous, H, dhidden + begin, GH,
           transposed + F * GH + begin, GH, false);
    } else {
      gemm(Op::transpose, Op::none, FH, end - begin, rows, inputs, FH, dinput + begin, GH,
           transposed + begin, GH, false);
    }
    for (std::size_t j = begin; j < end; ++j) {
      for (std::size_t i = 0; i < F; ++i) dw.input_weight[j * F + i] = transposed[i * GH + j];
      for (std::size_t i = 0; i < H; ++i)
        dw.hidden_weight[j * H + i] = transposed[(F + i) * GH + j];
    }
  });
  if (dx == nullptr) return;
  kernel::parallel_for(
      rows, rows * GH * g.features, [&](std::size_t begin, std::size_t end, std::size_t) {
        gemm(Op::none, Op::none, end - begin, g.features, GH, dinput + begin * GH, GH,
             w.input_weight, g.features, dx + begin * g.features, g.features, accumulate_dx);
      });
}

#define TYPENET_INSTANTIATE(T)                                                                 \
  template void recurrent_forward<T>(const RecurrentGeometry&, std::size_t, const T*,          \
                                     const RecurrentWeights<T>&, T*, const RecurrentTrace<T>&, \
                                     std::size_t);                                             \
  template void recurrent_backward<T>(const RecurrentGeometry&, std::size_t, const T*,         \
                                      const RecurrentWeights<T>&, const RecurrentTrace<T>&,    \
                                      const T*, T*, bool, const RecurrentGradients<T>&, T*,    \
                                      std::size_t);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel
