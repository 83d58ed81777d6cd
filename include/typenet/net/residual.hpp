// Residual<Branch, Shortcut> computed: each path is a Network of its own, run on the layer's
// input; spec in graph/residual.hpp.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

// Network first: it includes the composite layers at its end, and they need it whole.
#include "typenet/net/network.hpp"

#include <cstddef>
#include <cstring>
#include <vector>

#include "typenet/graph/residual.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/net/block.hpp"
#include "typenet/net/detail/branch_network.hpp"

namespace typenet {

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
    auto all = branch_.parameters();
    detail::append(all, shortcut_.parameters());
    return all;
  }
  std::vector<AlignedBuffer<T>*> state_buffers() {
    auto all = branch_.state_buffers();
    detail::append(all, shortcut_.state_buffers());
    return all;
  }
  void seed(std::uint64_t seed) {
    branch_.seed(detail::stream_seed(seed, 0));
    shortcut_.seed(detail::stream_seed(seed, 1));
  }
  void synchronize_batch_norm(Communicator* communicator) {
    branch_.synchronize_batch_norm(communicator);
    shortcut_.synchronize_batch_norm(communicator);
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

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
