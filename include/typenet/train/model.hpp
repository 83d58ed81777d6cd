// Model<Net, T>: a network with its parameters initialised, the handle training works on.
//
//   tn::Model<LeNet5> model{tn::init::He{}, /*seed=*/1};   // batch capacity 256 by default
//   model.freeze(0);                                          // layer 0's parameters stay fixed
//   model.freeze_until(12);                                   // all but the last layer
//   model.freeze("features");                                 // by state_dict name
//   double loss = model.train_step(images, labels, tn::loss::SoftmaxCrossEntropy{}, opt, lr);
//
// Every activation and gradient buffer is planned from the type when the model is built; the
// convolutions' scratch memory is one per-thread buffer shared by all layers, sized by the first
// step. After the first step (which also creates the optimiser's state) a training step performs
// no heap allocation (tests/allocation/ counts them for every layer, topology, loss, optimiser
// and zoo model; docs/design.md lists what allocates when).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "typenet/init/init.hpp"
#include "typenet/io/weights.hpp"
#include "typenet/loss/loss.hpp"
#include "typenet/loss/segmentation.hpp"
#include "typenet/net/network.hpp"
#include "typenet/optim/clip.hpp"
#include "typenet/optim/optim.hpp"
#include "typenet/reg/reg.hpp"

namespace typenet {

// Training cannot go on (a NaN or infinite loss or gradient); the weights are those before the
// failing step. what() is "step N: <cause>"; cause() is the sentence without the step.
class TrainingError : public std::runtime_error {
 public:
  explicit TrainingError(const std::string& what) : std::runtime_error(what), cause_(what) {}
  TrainingError(std::size_t step, const std::string& cause)
      : std::runtime_error("step " + std::to_string(step) + ": " + cause), cause_(cause) {}
  const std::string& cause() const { return cause_; }

 private:
  std::string cause_;
};

namespace detail {
// Where data-parallel training (train/distributed.hpp) joins a training step: each process
// tells the others it got this far, so that one that failed stops them all instead of leaving
// them waiting in a collective; before_update also averages the gradients across processes.
class StepHooks {
 public:
  virtual void before_forward() = 0;
  virtual void before_backward() = 0;  // the loss is finite
  virtual void before_update() = 0;    // the gradients are finite (and the penalty's added)
 protected:
  ~StepHooks() = default;
};
}  // namespace detail

template <class Net, class T = float>
class Model {
 public:
  using net_type = Net;
  using scalar = T;
  using input_type = typename Net::input_type;

 private:
  // A network that breaks a rule has said which, once, when Net was instantiated (the line
  // above); then Network<Net, T> is empty, and nothing here adds a second error.
  static constexpr bool ok = Net::ok;

 public:
  using output_type = typename Net::output_type;
  using input_tensor = Tensor<T, input_type>;
  using output_tensor = Tensor<T, output_type>;

  template <class Init = init::He>
  explicit Model(Init init = {}, std::uint64_t seed = 1, std::size_t capacity = 256)
      : network_(capacity), gradient_(capacity), all_(network_.parameters()) {
    initialise(init, seed);
  }

  // Draws every weight tensor again (biases and batch-norm parameters keep their values).
  template <class Init>
  void initialise(const Init& init, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (auto* p : all_)
      if (p->kind == ParameterKind::weight) init::fill(*p, init, rng);
    // Every dropout layer, nested ones included, gets its own stream from the same seed.
    network_.seed(rng());
  }

  Network<Net, T>& network() { return network_; }
  std::size_t capacity() const { return network_.capacity(); }

  void freeze(std::size_t layer, bool frozen = true) {
    if (layer < Net::depth) by_index_[layer] = frozen;
    network_.set_frozen(layer, frozen);  // throws std::out_of_range past the depth
    sync_frozen();
  }
  // Freezes (or unfreezes) every parameter whose state_dict name (tn::state_dict_names<Net>())
  // is `name` or starts with `name` followed by '.': "features", "layer1.0", "fc.weight". As
  // with PyTorch's requires_grad_(False), a frozen BatchNorm still updates its running
  // statistics in training mode. Backward stops below the lowest top-level layer that has no
  // trainable parameter left. Throws std::invalid_argument naming `name` and listing the
  // network's top-level names when no parameter has that name.
  void freeze(std::string_view name, bool frozen = true) {
    std::vector<io::detail::StateEntry> entries;
    io::detail::walk_network(network_, entries);
    std::vector<std::string> tops;
    bool found = false;
    for (const auto& e : entries) {
      const std::string top = e.name.substr(0, e.name.find('.'));
      if (std::find(tops.begin(), tops.end(), top) == tops.end()) tops.push_back(top);
      const bool match = e.name == name ||
                         (e.name.size() > name.size() &&
                          e.name.compare(0, name.size(), name) == 0 && e.name[name.size()] == '.');
      if (!match || e.integer) continue;
      const void* values = e.f32 != nullptr ? static_cast<const void*>(e.f32) : e.f64;
      for (std::size_t i = 0; i < all_.size(); ++i)
        if (static_cast<const void*>(all_[i]->value.data()) == values) {
          by_name_[i] = frozen;
          found = true;
        }
    }
    if (!found) {
      std::string list;
      for (const auto& top : tops) {
        if (!list.empty()) list += ", ";
        list += top;
      }
      throw std::invalid_argument("Model::freeze(\"" + std::string(name) +
                                  "\"): no parameter is named so or below it; the network's "
                                  "top-level names are " +
                                  (list.empty() ? std::string("(none)") : list));
    }
    sync_frozen();
  }
  // Freezes layers 0 to count - 1 and unfreezes the rest: a pretrained backbone stays fixed while
  // the layers from `count` on (a new head) train; backward stops at layer `count`. Throws
  // std::out_of_range when count exceeds the depth.
  void freeze_until(std::size_t count) {
    if (count > Net::depth)
      throw std::out_of_range("Model::freeze_until: " + std::to_string(count) +
                              " layers, but the network has " + std::to_string(Net::depth));
    for (std::size_t layer = 0; layer < Net::depth; ++layer) freeze(layer, layer < count);
  }
  // The parameters the optimiser updates: those not frozen by layer or by name.
  const std::vector<Parameter<T>*>& parameters() {
    if (trainable_.empty())
      for (std::size_t i = 0; i < all_.size(); ++i)
        if (!network_.frozen(all_[i]->layer) && !by_name_[i]) trainable_.push_back(all_[i]);
    return trainable_;
  }
  const std::vector<Parameter<T>*>& all_parameters() const { return all_; }

  // fit's data-parallel training sets these for its duration; nullptr: none. `listener` hears
  // of each layer's gradients during backward (not with a penalty, whose gradient is added
  // after backward).
  void set_step_hooks(detail::StepHooks* hooks, BackwardListener* listener = nullptr) {
    hooks_ = hooks;
    listener_ = listener;
  }

  const output_tensor& predict(const input_tensor& x) { return network_.forward(x, Mode::eval); }
  // A tensor of another scalar type or shape: Network::forward says which.
  template <class U, class S>
  requires(!std::is_same_v<Tensor<U, S>, input_tensor>) const output_tensor& predict(
      const Tensor<U, S>& x) {
    return network_.forward(x, Mode::eval);
  }

  // Forward, loss, backward and one optimiser step at learning rate lr. Returns the loss. A
  // non-finite loss or gradient throws TrainingError before any weight changes.
  // `penalty` (L1/L2/elastic net on the weight tensors) is added to the loss and its gradient.
  // `clipping` clamps the gradients by value and/or scales them to a global norm before the
  // optimiser's step (optim/clip.hpp; throws std::invalid_argument for a negative limit).
  template <class Loss, class Labels, class Optimizer>
  requires(ok) double train_step(const input_tensor& x, const Labels& labels, Loss loss,
                                 Optimizer& optimizer, double lr, std::size_t step = 0,
                                 const reg::ElasticNet* penalty = nullptr,
                                 const GradientClipping& clipping = {}) {
    if (x.batch() == 0)
      throw std::invalid_argument(
          "train_step: the batch is empty (0 samples); a step needs at "
          "least one sample");
    if (hooks_ != nullptr) hooks_->before_forward();
    const auto& y = network_.forward(x, Mode::train);
    double value = loss::compute(loss, y, labels, &gradient_);
    if (penalty != nullptr) {
      if (weights_.empty()) weights_ = reg::weights(parameters());
      value += reg::penalty(*penalty, std::span<Parameter<T>* const>(weights_));
    }
    if (!std::isfinite(value)) {
      const auto layer = network_.first_nonfinite_output();
      const bool input_bad =
          std::any_of(x.span().begin(), x.span().end(), [](T v) { return !std::isfinite(v); });
      const std::string where = input_bad ? "the input batch already holds NaN or infinity"
                                : layer
                                    ? "the first non-finite values appear in the output of layer " +
                                          std::to_string(layer->first) + " (" + layer->second + ")"
                                    : "every layer's output is finite, the loss itself overflowed";
      throw TrainingError(step,
                          "the loss is " + std::to_string(value) + "; " + where +
                              " (learning rate too high? inputs not normalised?); the weights are "
                              "those before this step");
    }
    if (hooks_ != nullptr) hooks_->before_backward();
    network_.backward(x, gradient_, nullptr, penalty == nullptr ? listener_ : nullptr);
    if (penalty != nullptr) reg::add_gradient(*penalty, std::span<Parameter<T>* const>(weights_));
    check_gradients(step);
    if (hooks_ != nullptr) hooks_->before_update();
    if (clipping.max_norm != 0 || clipping.max_value != 0)
      clip(std::span<Parameter<T>* const>(parameters()), clipping);
    optimizer.step(parameters(), lr);
    return value;
  }
  // A tensor of another scalar type or shape (Network::forward says which), or a network that
  // does not compile (silent: its own error is the one).
  template <class U, class S, class Loss, class Labels, class Optimizer>
  requires(!ok || !std::is_same_v<Tensor<U, S>, input_tensor>) double train_step(
      const Tensor<U, S>& x, const Labels&, Loss, Optimizer&, double, std::size_t = 0,
      const reg::ElasticNet* = nullptr, const GradientClipping& = {}) {
    if constexpr (ok) network_.forward(x, Mode::train);
    return 0;
  }

  // A copy of every parameter and running statistic, and its restoration (early stopping).
  struct Snapshot {
    std::vector<std::vector<T>> values;
  };
  Snapshot snapshot() {
    Snapshot s;
    for (auto* p : all_) s.values.emplace_back(p->value.data(), p->value.data() + p->size());
    for (auto* b : network_.state_buffers())
      s.values.emplace_back(b->data(), b->data() + b->size());
    return s;
  }
  void restore(const Snapshot& s) {
    std::size_t k = 0;
    for (auto* p : all_) std::copy(s.values[k].begin(), s.values[k].end(), p->value.data()), ++k;
    for (auto* b : network_.state_buffers())
      std::copy(s.values[k].begin(), s.values[k].end(), b->data()), ++k;
  }

 private:
  // The network skips the backward of a top-level layer frozen by index, or whose parameters
  // are all frozen by name.
  void sync_frozen() {
    for (std::size_t layer = 0; layer < Net::depth; ++layer) {
      bool any = false, all = true;
      for (std::size_t i = 0; i < all_.size(); ++i)
        if (all_[i]->layer == layer) {
          any = true;
          all = all && by_name_[i];
        }
      network_.set_frozen(layer, by_index_[layer] || (any && all));
    }
    trainable_.clear();
    weights_.clear();
  }

  void check_gradients(std::size_t step) {
    for (auto* p : parameters()) {
      const T* g = p->gradient.data();
      for (std::size_t i = 0; i < p->size(); ++i)
        if (!std::isfinite(g[i]))
          throw TrainingError(step,
                              "a non-finite gradient in " + std::string(p->name()) + " of layer " +
                                  std::to_string(p->layer) +
                                  " (learning rate too high? exploding activations?); the weights "
                                  "are those before this step");
    }
  }

  Network<Net, T> network_;
  std::conditional_t<ok, output_tensor, Tensor<T, Shape<1>>> gradient_;  // dLoss/dOutput
  std::vector<Parameter<T>*> all_;
  std::vector<char> by_name_ = std::vector<char>(all_.size(), 0);  // frozen by freeze(name)
  std::array<bool, Net::depth> by_index_{};                        // frozen by freeze(layer)
  std::vector<Parameter<T>*> trainable_;
  std::vector<Parameter<T>*> weights_;  // the trainable weight tensors, for penalties
  detail::StepHooks* hooks_ = nullptr;
  BackwardListener* listener_ = nullptr;
};

}  // namespace typenet
