// Residual and Concat computed: each branch is a Network of its own (so a Dense or Conv2D and
// its activation fuse inside a branch too), run on the layer's input.
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <cstddef>
#include <cstring>
#include <tuple>
#include <vector>

#include "typenet/graph/network.hpp"
#include "typenet/graph/topology.hpp"
#include "typenet/layers/layer.hpp"

namespace typenet {

namespace detail {
template <class In, class Chain>
struct chain_network;
template <std::size_t... D, class... Specs>
struct chain_network<Shape<D...>, boost::mp11::mp_list<Specs...>> {
  using type = Sequential<Input<D...>, Specs...>;
};
template <class In, class Branch, class T>
using branch_network = Network<typename chain_network<In, chain_t<Branch>>::type, T>;

// The parameters (or state buffers) of several branch networks, in branch order.
template <class... Networks>
auto parameters_of(Networks&... networks) {
  std::vector<Parameter<typename boost::mp11::mp_first<boost::mp11::mp_list<Networks...>>::scalar>*> all;
  ([&] { for (auto* p : networks.parameters()) all.push_back(p); }(), ...);
  return all;
}
template <class... Networks>
auto state_buffers_of(Networks&... networks) {
  std::vector<AlignedBuffer<typename boost::mp11::mp_first<boost::mp11::mp_list<Networks...>>::scalar>*> all;
  ([&] { for (auto* b : networks.state_buffers()) all.push_back(b); }(), ...);
  return all;
}
}  // namespace detail

template <class In, class T>
class Layer<Identity, In, T> : public detail::without_parameters<T> {
 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    y.set_batch(x.batch());
    std::memcpy(y.data(), x.data(), x.size() * sizeof(T));
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    std::memcpy(dx->data(), dy.data(), dy.size() * sizeof(T));
  }
};

template <class... Specs, class In, class T>
class Layer<Block<Specs...>, In, T> {
  using Out = typename bind<Block<Specs...>, In>::output_type;

 public:
  explicit Layer(std::size_t capacity = 1) : chain_(capacity) {}
  auto& chain() { return chain_; }
  std::vector<Parameter<T>*> parameter_list() { return chain_.parameters(); }
  std::vector<AlignedBuffer<T>*> state_buffers() { return chain_.state_buffers(); }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) {
    const auto& out = chain_.forward(x, mode);
    y.set_batch(x.batch());
    std::memcpy(y.data(), out.data(), out.size() * sizeof(T));
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    chain_.backward(x, dy, dx);
  }

 private:
  detail::branch_network<In, Block<Specs...>, T> chain_;
};

// y = branch(x) + shortcut(x); dx = dbranch/dx + dshortcut/dx.
template <class Branch, class Shortcut, class In, class T>
class Layer<Residual<Branch, Shortcut>, In, T> {
  using Out = typename bind<Residual<Branch, Shortcut>, In>::output_type;
  static constexpr bool identity = std::is_same_v<Shortcut, Identity>;

 public:
  explicit Layer(std::size_t capacity = 1)
      : branch_(capacity), shortcut_(capacity), dx_branch_(capacity) {}

  auto& branch() { return branch_; }
  auto& shortcut() { return shortcut_; }
  std::vector<Parameter<T>*> parameter_list() {
    return detail::parameters_of(branch_, shortcut_);
  }
  std::vector<AlignedBuffer<T>*> state_buffers() {
    return detail::state_buffers_of(branch_, shortcut_);
  }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) {
    const auto& a = branch_.forward(x, mode);
    y.set_batch(x.batch());
    if constexpr (identity) {
      y = expr::ref(a) + expr::ref(x);
    } else {
      const auto& b = shortcut_.forward(x, mode);
      y = expr::ref(a) + expr::ref(b);
    }
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    branch_.backward(x, dy, dx != nullptr ? &dx_branch_ : nullptr);
    if constexpr (identity) {
      if (dx == nullptr) return;
      dx->set_batch(x.batch());
      *dx = expr::ref(dx_branch_) + expr::ref(dy);
    } else {
      shortcut_.backward(x, dy, dx);
      if (dx != nullptr) *dx = expr::ref(*dx) + expr::ref(dx_branch_);
    }
  }

 private:
  detail::branch_network<In, Branch, T> branch_;
  detail::branch_network<In, Shortcut, T> shortcut_;
  Tensor<T, In> dx_branch_;
};

// The branches' outputs side by side along channels, sample by sample.
template <class... Branches, class In, class T>
class Layer<Concat<Branches...>, In, T> {
  using Out = typename bind<Concat<Branches...>, In>::output_type;
  static constexpr std::size_t plane = Out::dims[1] * Out::dims[2];

 public:
  explicit Layer(std::size_t capacity = 1)
      : branches_(detail::branch_network<In, Branches, T>(capacity)...),
        gradients_(Tensor<T, typename detail::branch_network<In, Branches, T>::output_type>(
            capacity)...),
        dx_branch_(capacity) {}

  std::vector<Parameter<T>*> parameter_list() {
    return std::apply([](auto&... net) { return detail::parameters_of(net...); }, branches_);
  }
  std::vector<AlignedBuffer<T>*> state_buffers() {
    return std::apply([](auto&... net) { return detail::state_buffers_of(net...); },
                      branches_);
  }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) {
    y.set_batch(x.batch());
    std::size_t offset = 0;  // channels before this branch
    std::apply(
        [&](auto&... net) {
          ((
               [&](auto& n) {
                 const auto& out = n.forward(x, mode);
                 constexpr std::size_t channels = std::decay_t<decltype(out)>::shape::dims[0];
                 for (std::size_t s = 0; s < x.batch(); ++s)
                   std::memcpy(y.sample(s) + offset * plane, out.sample(s),
                               channels * plane * sizeof(T));
                 offset += channels;
               }(net)),
           ...);
        },
        branches_);
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    std::size_t offset = 0;
    bool first = true;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((
           [&](auto& n, auto& gradient) {
             constexpr std::size_t channels =
                 std::decay_t<decltype(gradient)>::shape::dims[0];
             gradient.set_batch(x.batch());
             for (std::size_t s = 0; s < x.batch(); ++s)
               std::memcpy(gradient.sample(s), dy.sample(s) + offset * plane,
                           channels * plane * sizeof(T));
             offset += channels;
             if (dx == nullptr) {
               n.backward(x, gradient, nullptr);
             } else if (first) {
               n.backward(x, gradient, dx);
             } else {
               n.backward(x, gradient, &dx_branch_);
               *dx = expr::ref(*dx) + expr::ref(dx_branch_);
             }
             first = false;
           }(std::get<K>(branches_), std::get<K>(gradients_))),
       ...);
    }(std::index_sequence_for<Branches...>{});
  }

 private:
  std::tuple<detail::branch_network<In, Branches, T>...> branches_;
  std::tuple<Tensor<T, typename detail::branch_network<In, Branches, T>::output_type>...>
      gradients_;
  Tensor<T, In> dx_branch_;
};

}  // namespace typenet
