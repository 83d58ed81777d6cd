// Training several heads at once: the weighted sum of each head's loss.
//
//   using Net = tn::Sequential<..., tn::Heads<
//       tn::Head<tn::Dense<10>, tn::loss::SoftmaxCrossEntropy>,
//       tn::Head<tn::Dense<4>, tn::loss::MSE>>>;
//   tn::loss::MultiTask<Net> loss{{1.0, 0.5}};                  // one weight per head
//   model.train_step(x, std::forward_as_tuple(std::span<const int>(classes), boxes),  // no copy
//                    loss, opt, lr);
//   auto scores = tn::head_output<0, Net>(model.predict(x));   // head 0's output (a new tensor)
//
// Net ends with a Heads<...>; its output is the heads' outputs one after another. The labels are
// a tuple, one per head, of what that head's loss takes (spec/loss.hpp checked the pair when
// Net was bound). Each head's gradient, scaled by its weight, flows back through its branch and
// the branches' gradients add up in the trunk. A call copies each head's output and gradient
// through per-thread buffers that grow to the largest batch seen, so, like a single-output step,
// a multi-task step allocates nothing after the first.
#pragma once

#include <algorithm>
#include <array>
#include <boost/mp11/algorithm.hpp>
#include <cstddef>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

#include "typenet/expr/tensor.hpp"
#include "typenet/graph/heads.hpp"
#include "typenet/loss/loss.hpp"
#include "typenet/loss/segmentation.hpp"

namespace typenet {

namespace detail {
template <class Spec>
inline constexpr bool is_heads = false;
template <class... Hs>
inline constexpr bool is_heads<Heads<Hs...>> = true;

template <class Net>
struct heads_of {
  using last = typename Net::template layer<Net::depth - 1>;
  static_assert(is_heads<typename last::spec>,
                "tn::loss::MultiTask<Net> and tn::head_output<K, Net> require a Net whose last "
                "layer is tn::Heads<tn::Head<Branch, Loss>...>");
  using spec = typename last::spec;
  using outputs = typename spec::template outputs<typename last::input_type>;
  // Where head K's scalars start in a sample of the joined output.
  template <std::size_t K>
  static constexpr std::size_t offset = [] {
    std::size_t total = 0;
    boost::mp11::mp_for_each<boost::mp11::mp_iota_c<K>>(
        [&](auto J) { total += boost::mp11::mp_at_c<outputs, decltype(J)::value>::size; });
    return total;
  }();
};

template <std::size_t K, class Net>
using head_shape = boost::mp11::mp_at_c<typename heads_of<Net>::outputs, K>;

// Copies head K's part of every sample of y into out (whose batch is y's).
template <std::size_t K, class Net, class T>
void copy_head(const Tensor<T, typename Net::output_type>& y, Tensor<T, head_shape<K, Net>>& out) {
  constexpr std::size_t offset = heads_of<Net>::template offset<K>;
  for (std::size_t s = 0; s < y.batch(); ++s)
    std::memcpy(out.sample(s), y.sample(s) + offset, head_shape<K, Net>::size * sizeof(T));
}

// A per-thread buffer of `batch` samples, grown when a larger batch comes and never shrunk.
// Per thread and not a MultiTask member because train_step takes the loss by value (a copy per
// step would allocate). Slot tells the output and gradient buffers apart; heads of the same
// shape share them, which is safe since compute() finishes one head before the next.
template <class T, class Shape, int Slot>
Tensor<T, Shape>& head_buffer(std::size_t batch) {
  thread_local Tensor<T, Shape> buffer(0);
  if (buffer.capacity() < batch) buffer = Tensor<T, Shape>(batch);
  buffer.set_batch(batch);
  return buffer;
}
}  // namespace detail

// Head K's output for every sample of y, a network output.
template <std::size_t K, class Net, class T>
auto head_output(const Tensor<T, typename Net::output_type>& y) {
  Tensor<T, detail::head_shape<K, Net>> out(y.batch());
  detail::copy_head<K, Net>(y, out);
  return out;
}

namespace loss {

template <class Net>
struct MultiTask {
  using heads = typename typenet::detail::heads_of<Net>;
  static constexpr std::size_t count = heads::spec::count;
  std::array<double, count> weights;

  MultiTask() { weights.fill(1.0); }
  // One weight per head, checked at compile time (a shorter list would leave heads silently
  // untrained): loss{1.0, 0.5} or loss{{1.0, 0.5}}.
  template <class... W>
  requires(sizeof...(W) >= 1 && (std::is_convertible_v<W, double> && ...))
      MultiTask(W... per_head) {
    static_assert(sizeof...(W) == count,
                  "tn::loss::MultiTask<Net> takes one weight per head of Net (or none: all 1)");
    if constexpr (sizeof...(W) == count) weights = {double(per_head)...};
  }
  template <std::size_t N>
  MultiTask(const double (&per_head)[N]) {
    static_assert(N == count,
                  "tn::loss::MultiTask<Net> takes one weight per head of Net (or none: all 1)");
    if constexpr (N == count) std::copy(per_head, per_head + N, weights.begin());
  }
};

// sum over heads of weight_k * loss_k(head_k(y), labels_k); the gradient likewise.
template <class Net, class T, class... Labels>
double compute(const MultiTask<Net>& task, const Tensor<T, typename Net::output_type>& y,
               const std::tuple<Labels...>& labels,
               Tensor<T, typename Net::output_type>* dy = nullptr) {
  using heads = typename MultiTask<Net>::heads;
  static_assert(sizeof...(Labels) == MultiTask<Net>::count,
                "tn::loss::MultiTask<Net> takes a tuple of labels with one entry per head");
  if (dy != nullptr) dy->set_batch(y.batch());
  double total = 0;
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<sizeof...(Labels)>>([&](auto J) {
    constexpr std::size_t K = decltype(J)::value;
    using Out = typenet::detail::head_shape<K, Net>;
    using Loss = typename boost::mp11::mp_at_c<typename heads::spec::heads, K>::loss;
    auto& out = typenet::detail::head_buffer<T, Out, 0>(y.batch());
    typenet::detail::copy_head<K, Net>(y, out);
    Tensor<T, Out>* gradient =
        dy != nullptr ? &typenet::detail::head_buffer<T, Out, 1>(y.batch()) : nullptr;
    const double weight = task.weights[K];
    total += weight * compute(Loss{}, std::as_const(out), std::get<K>(labels), gradient);
    if (gradient == nullptr) return;
    for (std::size_t s = 0; s < y.batch(); ++s) {
      T* to = dy->sample(s) + heads::template offset<K>;
      const T* from = gradient->sample(s);
      for (std::size_t i = 0; i < Out::size; ++i) to[i] = T(weight) * from[i];
    }
  });
  return total;
}

}  // namespace loss
}  // namespace typenet
