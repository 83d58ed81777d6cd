// Network<Net, T>: a Sequential made computable. Every layer, activation and gradient buffer is
// allocated at construction for a batch capacity; forward and backward never allocate.
//
//   tn::Network<LeNet5> net(/*capacity=*/64);
//   const auto& scores = net.forward(images, tn::Mode::train);
//   net.backward(images, dscores);        // parameter gradients of every layer
//
// A Dense or Conv2D followed by an element-wise activation (ReLU, Sigmoid, Tanh, LeakyReLU, ELU,
// Activation<F>) runs fused: bias + activation in one pass after the GEMM, and activation
// derivative * upstream gradient + bias gradient in one pass before the backward GEMMs.
// Network<Net, T, Fusion::off> runs every layer on its own (the reference, and the benchmark's
// baseline). When fused, output<K>() of the weight layer holds x W without the bias.
// Backward leaves every forward output intact, so it may run more than once per forward.
#pragma once

#include <array>
#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "typenet/expr/tensor.hpp"
#include "typenet/graph/sequential.hpp"
#include "typenet/layers/activation.hpp"
#include "typenet/layers/adaptive_avg_pool2d.hpp"
#include "typenet/layers/batch_norm.hpp"
#include "typenet/layers/conv2d.hpp"
#include "typenet/layers/conv_transpose2d.hpp"
#include "typenet/layers/dense.hpp"
#include "typenet/layers/dropout.hpp"
#include "typenet/layers/flatten.hpp"
#include "typenet/layers/global_avg_pool.hpp"
#include "typenet/layers/identity.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/layers/local_response_norm.hpp"
#include "typenet/layers/maxout.hpp"
#include "typenet/layers/pool2d.hpp"
#include "typenet/layers/prelu.hpp"
#include "typenet/layers/recurrent.hpp"
#include "typenet/layers/softmax.hpp"
#include "typenet/layers/time_distributed.hpp"
#include "typenet/layers/upsample.hpp"

// This public header includes a detail/ header: it lets it in, and closes the door again at once,
// so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED
#include "typenet/net/detail/walk.hpp"
#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")

namespace typenet {

enum class Fusion { on, off };

// Told by Network::backward as it goes (data-parallel training starts each bucket's gradient sum
// as soon as the bucket's gradients are final, PyTorch DDP's overlap of communication with
// backward). Top-level layers only: a composite layer (Residual, Block) counts as one.
class BackwardListener {
 public:
  // Layer `layer` and every layer after it are done: their parameters' gradients are final.
  // Called once per top-level layer that backward reaches, in decreasing order of `layer`.
  virtual void gradients_ready(std::size_t layer) = 0;

 protected:
  ~BackwardListener() = default;
};

namespace detail {
template <class Bound, class T>
using output_tensor = Tensor<T, typename Bound::output_type>;

template <class L>
concept WeightLayer = requires {
  L::has_bias;
};

// A network's layers (or outputs, or gradients), each built for the batch capacity.
template <class... Items>
struct capacity_tuple {
  hana::tuple<Items...> items;
  explicit capacity_tuple([[maybe_unused]] std::size_t capacity) : items(Items(capacity)...) {}
};
}  // namespace detail

template <class Net, class T = float, Fusion Fuse = Fusion::on>
class Network {
  // A network that breaks a rule has said which, once, when Net::ok was instantiated. Then the
  // layout is empty and every member stays silent, so that error is the only one (the layers
  // after the broken one have no input shape, and would add errors of their own).
  using bound = std::conditional_t<Net::ok, typename Net::layers, boost::mp11::mp_list<>>;
  static constexpr bool ok = Net::ok;

 public:
  using scalar = T;
  using input_type = typename Net::input_type;
  using output_type = typename Net::output_type;
  static constexpr std::size_t depth = boost::mp11::mp_size<bound>::value;
  template <std::size_t K>
  using layer_type = LayerOf<boost::mp11::mp_at_c<bound, K>, T>;

 private:
  // Network::backward's arguments: the input, the output gradient, and a null or input gradient.
  template <class X, class DY, class... DX>
  static constexpr bool backward_arguments_fit() {
    using in = Tensor<T, input_type>;
    return std::is_same_v<X, in> && std::is_same_v<DY, Tensor<T, output_type>> &&
           ((std::is_null_pointer_v<DX> || std::is_same_v<DX, in*>)&&...);
  }

 public:
  explicit Network(std::size_t capacity)
      : capacity_(capacity), layers_(capacity), outputs_(capacity), gradients_(capacity) {
    detail::for_each_indexed(layers_.items, [](auto& l, std::size_t k) { label_parameters(l, k); });
  }

  // A frozen layer's parameters are not trained (Model leaves them out of the optimiser), and
  // backward stops below the lowest layer that is not frozen unless dx is asked for.
  void set_frozen(std::size_t layer, bool frozen) {
    if (layer >= depth)
      throw std::out_of_range("Network::set_frozen: layer " + std::to_string(layer) +
                              " of a network of " + std::to_string(depth) + " layers");
    frozen_[layer] = frozen;
  }
  bool frozen(std::size_t layer) const { return layer < depth && frozen_[layer]; }

  // Non-trainable state that evaluation depends on (batch-norm running statistics), for
  // snapshots of the weights.
  std::vector<AlignedBuffer<T>*> state_buffers() {
    std::vector<AlignedBuffer<T>*> all;
    boost::hana::for_each(layers_.items, [&](auto& l) {
      if constexpr (requires { l.state_buffers(); })
        for (auto* b : l.state_buffers()) all.push_back(b);
    });
    return all;
  }

  // Seeds every stochastic layer (Dropout), nested ones included: layer K draws from
  // stream_seed(seed, K), a composite layer passes its stream on to its branches the same way.
  void seed(std::uint64_t seed) {
    detail::for_each_indexed(layers_.items, [&](auto& l, std::size_t k) {
      if constexpr (requires { l.seed(std::uint64_t{}); }) l.seed(detail::stream_seed(seed, k));
    });
  }

  // Every BatchNorm, nested ones included, takes its training statistics over the batches of
  // all processes of `communicator` (PyTorch's SyncBatchNorm); nullptr: over this process's.
  void synchronize_batch_norm(Communicator* communicator) {
    boost::hana::for_each(layers_.items, [&](auto& l) {
      if constexpr (requires { l.synchronize_statistics(communicator); })
        l.synchronize_statistics(communicator);
      else if constexpr (requires { l.synchronize_batch_norm(communicator); })
        l.synchronize_batch_norm(communicator);
    });
  }

  std::size_t capacity() const { return capacity_; }

  template <std::size_t K>
  layer_type<K>& layer() {
    return boost::hana::at_c<K>(layers_.items);
  }
  template <std::size_t K>
  auto& output() {
    return boost::hana::at_c<K>(outputs_.items);
  }

  const Tensor<T, output_type>& forward(const Tensor<T, input_type>& x, Mode mode = Mode::eval) {
    if constexpr (!ok) {
      throw std::logic_error("Network::forward: the network does not compile");
    } else {
      if (x.batch() > capacity_)
        throw std::length_error("Network::forward: a batch of " + std::to_string(x.batch()) +
                                " exceeds the capacity of " + std::to_string(capacity_));
      detail::for_each_index<depth>([&](auto k) { forward_step<k>(x, mode); });
      forward_batch_ = x.batch();
      return output<depth - 1>();
    }
  }
  // A tensor of another scalar type or shape: the error says which (expr/tensor.hpp).
  template <class U, class S>
  requires(!std::is_same_v<Tensor<U, S>, Tensor<T, input_type>>)
      const Tensor<T, output_type>& forward(const Tensor<U, S>&, Mode = Mode::eval) {
    if constexpr (ok)
      detail::report_tensor_argument<diag::network_input, Tensor<T, input_type>, Tensor<U, S>>();
    throw std::logic_error("Network::forward: a tensor of another type");
  }

  // Gradients of every parameter (overwritten) from dy = dLoss/dOutput of the last forward
  // pass with the same x; dx receives dLoss/dx when given; `listener` (when given) hears of
  // each top-level layer as soon as its backward is done.
  void backward(const Tensor<T, input_type>& x, const Tensor<T, output_type>& dy,
                Tensor<T, input_type>* dx = nullptr, BackwardListener* listener = nullptr) {
    if constexpr (ok) {
      if (dy.batch() != x.batch() || x.batch() != forward_batch_)
        throw std::invalid_argument("Network::backward: input batch " + std::to_string(x.batch()) +
                                    ", gradient batch " + std::to_string(dy.batch()) +
                                    ", last forward batch " + std::to_string(forward_batch_) +
                                    ": backward needs the forward pass of the same batch");
      std::size_t lowest = 0;  // below it, every layer is frozen: no backward needed there
      if (dx == nullptr)
        while (lowest < depth && frozen_[lowest]) ++lowest;
      detail::for_each_index_reversed<depth>([&](auto k) {
        if (k.value < lowest) return;
        backward_step<k>(x, dy, dx);
        if (listener != nullptr) listener->gradients_ready(k.value);
      });
    }
  }
  // Tensors of another scalar type or shape: the error names the first that does not fit.
  template <class X, class DY, class... DX>
  requires(detail::is_tensor<X>&& detail::is_tensor<DY> && sizeof...(DX) <= 1 &&
           ((std::is_null_pointer_v<DX> || detail::is_tensor_pointer<DX>)&&...) &&
           !backward_arguments_fit<X, DY, DX...>()) void backward(const X&, const DY&, DX...) {
    using in = Tensor<T, input_type>;
    using out = Tensor<T, output_type>;
    if constexpr (!ok)
      return;
    else if constexpr (!std::is_same_v<X, in>)
      detail::report_tensor_argument<diag::network_input, in, X>();
    else if constexpr (!std::is_same_v<DY, out>)
      detail::report_tensor_argument<diag::output_gradient, out, DY>();
    else
      detail::report_tensor_argument<diag::input_gradient, in,
                                     std::remove_cv_t<std::remove_pointer_t<DX>>...>();
  }

  // The first layer (index and name) whose last output holds a NaN or infinity, or none: where a
  // non-finite loss came from.
  std::optional<std::pair<std::size_t, std::string>> first_nonfinite_output() {
    std::optional<std::pair<std::size_t, std::string>> found;
    detail::for_each_index<depth>([&](auto k) {
      if (!found) check_finite<k>(found);
    });
    return found;
  }

  // Every trainable parameter, first layer first.
  std::vector<Parameter<T>*> parameters() {
    std::vector<Parameter<T>*> all;
    boost::hana::for_each(layers_.items, [&](auto& l) { collect(l, all); });
    return all;
  }

  // Whether layer K runs fused with the activation after it.
  template <std::size_t K>
  static constexpr bool fused() {
    if constexpr (Fuse == Fusion::off || K + 1 >= depth) {
      return false;
    } else {
      using next = typename boost::mp11::mp_at_c<bound, K + 1>::spec;
      return detail::WeightLayer<layer_type<K>> && ElementwiseActivation<next>;
    }
  }

 private:
  template <std::size_t K>
  void check_finite(std::optional<std::pair<std::size_t, std::string>>& found) {
    const auto& out = output<K>();
    for (std::size_t i = 0; i < out.size(); ++i)
      if (!std::isfinite(out[i])) {
        found.emplace(K, boost::mp11::mp_at_c<bound, K>::spec::name());
        return;
      }
  }

  template <std::size_t K>
  static constexpr bool runs_in_previous() {
    if constexpr (K == 0)
      return false;
    else
      return fused<K - 1>();
  }

  template <std::size_t K>
  const auto& input_of(const Tensor<T, input_type>& x) const {
    if constexpr (K == 0)
      return x;
    else
      return boost::hana::at_c<K - 1>(outputs_.items);
  }

  template <std::size_t K>
  void forward_step(const Tensor<T, input_type>& x, Mode mode) {
    if constexpr (runs_in_previous<K>()) {
      return;  // done by layer K - 1
    } else if constexpr (fused<K>()) {
      using F = activation_rule<typename boost::mp11::mp_at_c<bound, K + 1>::spec>;
      layer<K>().template forward_fused<F>(input_of<K>(x), output<K>(), output<K + 1>());
    } else {
      layer<K>().forward(input_of<K>(x), output<K>(), mode);
    }
  }

  template <std::size_t K>
  void backward_step(const Tensor<T, input_type>& x, const Tensor<T, output_type>& dy,
                     Tensor<T, input_type>* dx) {
    if constexpr (runs_in_previous<K>()) {
      return;  // done by layer K - 1
    } else {
      Tensor<T, typename boost::mp11::mp_at_c<bound, K>::input_type>* target;
      if constexpr (K == 0)
        target = dx;
      else
        target = &boost::hana::at_c<K - 1>(gradients_.items);
      if constexpr (fused<K>()) {
        using F = activation_rule<typename boost::mp11::mp_at_c<bound, K + 1>::spec>;
        // The weight layer's own output-gradient buffer is free (its activation's backward runs
        // here): dz goes there.
        layer<K>().template backward_fused<F>(input_of<K>(x), output<K>(), output<K + 1>(),
                                              gradient_of<K + 1>(dy),
                                              boost::hana::at_c<K>(gradients_.items), target);
      } else {
        layer<K>().backward(input_of<K>(x), output<K>(), gradient_of<K>(dy), target);
      }
    }
  }

  template <std::size_t K>
  const auto& gradient_of(const Tensor<T, output_type>& dy) const {
    if constexpr (K == depth - 1)
      return dy;
    else
      return boost::hana::at_c<K>(gradients_.items);
  }

  // f(Parameter<T>&) for each of a layer's parameters; composite layers (Residual, Concat,
  // Block) list their branches' parameters by pointer.
  template <class L, class F>
  static void for_each_parameter(L& layer, F&& f) {
    if constexpr (requires { layer.parameter_list(); }) {
      for (auto* p : layer.parameter_list()) f(*p);
    } else {
      for (auto& p : layer.parameters()) f(p);
    }
  }
  template <class L>
  static void label_parameters(L& layer, std::size_t index) {
    for_each_parameter(layer, [&](Parameter<T>& p) { p.layer = index; });
  }
  template <class L>
  static void collect(L& layer, std::vector<Parameter<T>*>& all) {
    for_each_parameter(layer, [&](Parameter<T>& p) { all.push_back(&p); });
  }

  template <class Bound>
  using layer_of = LayerOf<Bound, T>;
  template <class Bound>
  using tensor_of = detail::output_tensor<Bound, T>;

  std::size_t capacity_;
  std::size_t forward_batch_ = 0;
  std::array<bool, depth> frozen_{};
  boost::mp11::mp_rename<boost::mp11::mp_transform<layer_of, bound>, detail::capacity_tuple>
      layers_;
  boost::mp11::mp_rename<boost::mp11::mp_transform<tensor_of, bound>, detail::capacity_tuple>
      outputs_;
  boost::mp11::mp_rename<boost::mp11::mp_transform<tensor_of, bound>, detail::capacity_tuple>
      gradients_;
};

}  // namespace typenet

// Composite layers hold Networks of their own, so they come after Network.
#include "typenet/net/block.hpp"
#include "typenet/net/concat.hpp"
#include "typenet/net/heads.hpp"
#include "typenet/net/residual.hpp"
