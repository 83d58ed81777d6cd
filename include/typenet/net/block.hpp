// Block<Specs...> computed: its chain is a Network of its own; spec in graph/block.hpp.
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

#include "typenet/graph/block.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/net/detail/branch_network.hpp"

namespace typenet {

template <class... Specs, class In, class T>
class Layer<Block<Specs...>, In, T> {
  using Out = typename bind<Block<Specs...>, In>::output_type;

 public:
  explicit Layer(std::size_t capacity = 1) : chain_(capacity) {}
  auto& chain() { return chain_; }
  std::vector<Parameter<T>*> parameter_list() { return chain_.parameters(); }
  std::vector<AlignedBuffer<T>*> state_buffers() { return chain_.state_buffers(); }
  void seed(std::uint64_t seed) { chain_.seed(seed); }
  void synchronize_batch_norm(Communicator* communicator) {
    chain_.synchronize_batch_norm(communicator);
  }

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

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
