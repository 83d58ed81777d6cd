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

namespace detail {

// The branches' outputs placed one after another in each sample of the output: along channels
// for Concat (and CropConcat, each branch first centre-cropped to the output's H x W), as flat
// segments for Heads. Branches are the branch specs (a spec or a Block<...>).
template <class Out, class In, class T, class... Branches>
class joined_branches {
  template <class Branch>
  using net = branch_network<In, Branch, T>;

  // Scalars of one sample of a branch's output that land in the joined output, and whether they
  // are a centre crop of it.
  template <class BranchOut>
  static constexpr bool cropped = BranchOut::rank == 3 && Out::rank == 3 &&
                                  (BranchOut::dims[1] != Out::dims[1] ||
                                   BranchOut::dims[2] != Out::dims[2]);
  template <class BranchOut>
  static constexpr std::size_t placed = [] {
    if constexpr (cropped<BranchOut>)
      return BranchOut::dims[0] * Out::dims[1] * Out::dims[2];
    else
      return BranchOut::size;
  }();

 public:
  explicit joined_branches(std::size_t capacity)
      : branches_(net<Branches>(capacity)...),
        gradients_(Tensor<T, typename net<Branches>::output_type>(capacity)...),
        dx_branch_(capacity) {}

  template <std::size_t K>
  auto& branch() {
    return std::get<K>(branches_);
  }
  std::vector<Parameter<T>*> parameter_list() {
    return std::apply([](auto&... n) { return detail::parameters_of(n...); }, branches_);
  }
  std::vector<AlignedBuffer<T>*> state_buffers() {
    return std::apply([](auto&... n) { return detail::state_buffers_of(n...); }, branches_);
  }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) {
    y.set_batch(x.batch());
    std::size_t offset = 0;  // scalars of a sample before this branch's
    std::apply(
        [&](auto&... n) {
          (
              [&](auto& branch) {
                const auto& out = branch.forward(x, mode);
                using BranchOut = typename std::decay_t<decltype(out)>::shape;
                for (std::size_t s = 0; s < x.batch(); ++s)
                  place<BranchOut>(out.sample(s), y.sample(s) + offset);
                offset += placed<BranchOut>;
              }(n),
              ...);
        },
        branches_);
  }

  void backward(const Tensor<T, In>& x, const Tensor<T, Out>& dy, Tensor<T, In>* dx) {
    std::size_t offset = 0;
    bool first = true;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (
          [&](auto& branch, auto& gradient) {
            using BranchOut = typename std::decay_t<decltype(gradient)>::shape;
            gradient.set_batch(x.batch());
            for (std::size_t s = 0; s < x.batch(); ++s)
              unplace<BranchOut>(dy.sample(s) + offset, gradient.sample(s));
            offset += placed<BranchOut>;
            if (dx == nullptr) {
              branch.backward(x, gradient, nullptr);
            } else if (first) {
              branch.backward(x, gradient, dx);
            } else {
              branch.backward(x, gradient, &dx_branch_);
              *dx = expr::ref(*dx) + expr::ref(dx_branch_);
            }
            first = false;
          }(std::get<K>(branches_), std::get<K>(gradients_)),
          ...);
    }(std::index_sequence_for<Branches...>{});
  }

 private:
  // One sample of a branch output into its place in the joined sample.
  template <class BranchOut>
  static void place(const T* from, T* to) {
    if constexpr (cropped<BranchOut>) {
      constexpr std::size_t H = BranchOut::dims[1], W = BranchOut::dims[2];
      constexpr std::size_t OH = Out::dims[1], OW = Out::dims[2];
      constexpr std::size_t top = (H - OH) / 2, left = (W - OW) / 2;
      for (std::size_t c = 0; c < BranchOut::dims[0]; ++c)
        for (std::size_t h = 0; h < OH; ++h)
          std::memcpy(to + (c * OH + h) * OW, from + (c * H + top + h) * W + left, OW * sizeof(T));
    } else {
      std::memcpy(to, from, BranchOut::size * sizeof(T));
    }
  }
  // The gradient of a sample's branch output: its part of the joined gradient, zero where the
  // crop cut it away.
  template <class BranchOut>
  static void unplace(const T* from, T* to) {
    if constexpr (cropped<BranchOut>) {
      constexpr std::size_t H = BranchOut::dims[1], W = BranchOut::dims[2];
      constexpr std::size_t OH = Out::dims[1], OW = Out::dims[2];
      constexpr std::size_t top = (H - OH) / 2, left = (W - OW) / 2;
      std::fill(to, to + BranchOut::size, T(0));
      for (std::size_t c = 0; c < BranchOut::dims[0]; ++c)
        for (std::size_t h = 0; h < OH; ++h)
          std::memcpy(to + (c * H + top + h) * W + left, from + (c * OH + h) * OW, OW * sizeof(T));
    } else {
      std::memcpy(to, from, BranchOut::size * sizeof(T));
    }
  }

  std::tuple<net<Branches>...> branches_;
  std::tuple<Tensor<T, typename net<Branches>::output_type>...> gradients_;
  Tensor<T, In> dx_branch_;
};

// The Layer of a composite whose branches are joined (Spec is Concat, CropConcat or Heads).
template <class Spec, class In, class T, class... Branches>
class joined_layer : public joined_branches<typename bind<Spec, In>::output_type, In, T, Branches...> {
  using Out = typename bind<Spec, In>::output_type;
  using base = joined_branches<Out, In, T, Branches...>;

 public:
  using base::base;
  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) { base::forward(x, y, mode); }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    base::backward(x, dy, dx);
  }
};

}  // namespace detail

template <class... Branches, class In, class T>
class Layer<Concat<Branches...>, In, T>
    : public detail::joined_layer<Concat<Branches...>, In, T, Branches...> {
 public:
  explicit Layer(std::size_t capacity = 1)
      : detail::joined_layer<Concat<Branches...>, In, T, Branches...>(capacity) {}
};

template <class... Branches, class In, class T>
class Layer<CropConcat<Branches...>, In, T>
    : public detail::joined_layer<CropConcat<Branches...>, In, T, Branches...> {
 public:
  explicit Layer(std::size_t capacity = 1)
      : detail::joined_layer<CropConcat<Branches...>, In, T, Branches...>(capacity) {}
};

// The heads' outputs one after another in each sample; their gradients add up in the trunk.
template <class... Hs, class In, class T>
class Layer<Heads<Hs...>, In, T>
    : public detail::joined_layer<Heads<Hs...>, In, T, typename Hs::branch...> {
 public:
  explicit Layer(std::size_t capacity = 1)
      : detail::joined_layer<Heads<Hs...>, In, T, typename Hs::branch...>(capacity) {}
};

}  // namespace typenet
