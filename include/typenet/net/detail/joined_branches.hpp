// What Concat, CropConcat and Heads compute alike: every branch a Network of its own on the
// layer's input, their outputs placed one after another in each sample.
#pragma once
#include "typenet/detail/internal_header.hpp"

// Network first: it includes the composite layers at its end, and they need it whole.
#include "typenet/net/network.hpp"

#include <algorithm>
#include <boost/hana/at.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <vector>

#include "typenet/layers/layer.hpp"
#include "typenet/net/detail/branch_network.hpp"
#include "typenet/net/detail/walk.hpp"

namespace typenet::detail {

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

  static constexpr std::size_t branch_count = sizeof...(Branches);
  template <std::size_t K>
  auto& branch() {
    return hana::at_c<K>(branches_);
  }
  std::vector<Parameter<T>*> parameter_list() {
    std::vector<Parameter<T>*> all;
    hana::for_each(branches_, [&](auto& n) { append(all, n.parameters()); });
    return all;
  }
  std::vector<AlignedBuffer<T>*> state_buffers() {
    std::vector<AlignedBuffer<T>*> all;
    hana::for_each(branches_, [&](auto& n) { append(all, n.state_buffers()); });
    return all;
  }
  void seed(std::uint64_t seed) {
    for_each_indexed(branches_,
                     [&](auto& n, std::size_t k) { n.seed(detail::stream_seed(seed, k)); });
  }
  void synchronize_batch_norm(Communicator* communicator) {
    hana::for_each(branches_, [&](auto& n) { n.synchronize_batch_norm(communicator); });
  }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) {
    y.set_batch(x.batch());
    std::size_t offset = 0;  // scalars of a sample before this branch's
    hana::for_each(branches_, [&](auto& branch) {
      const auto& out = branch.forward(x, mode);
      using BranchOut = typename std::decay_t<decltype(out)>::shape;
      for (std::size_t s = 0; s < x.batch(); ++s)
        place<BranchOut>(out.sample(s), y.sample(s) + offset);
      offset += placed<BranchOut>;
    });
  }

  void backward(const Tensor<T, In>& x, const Tensor<T, Out>& dy, Tensor<T, In>* dx) {
    std::size_t offset = 0;
    bool first = true;
    for_each_indexed(branches_, [&](auto& branch, auto k) {
      auto& gradient = hana::at(gradients_, k);
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
    });
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

  hana::tuple<net<Branches>...> branches_;
  hana::tuple<Tensor<T, typename net<Branches>::output_type>...> gradients_;
  Tensor<T, In> dx_branch_;
};

// The Layer of a composite whose branches are joined (Spec is Concat, CropConcat or Heads).
template <class Spec, class In, class T, class... Branches>
class joined_layer
    : public joined_branches<typename bind<Spec, In>::output_type, In, T, Branches...> {
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

}  // namespace typenet::detail
