// A computable layer: a spec bound to its input shape, with parameters and forward/backward.
//
//   Layer<Spec, In, T> layer(capacity);     // every buffer allocated here, for `capacity` samples
//   layer.forward(x, y, Mode::train);        // y.batch() becomes x.batch()
//   layer.backward(x, y, dy, &dx);           // dx (may be null), parameter gradients overwritten
//
// Each spec's specialisation lives in layers/ under the name of the spec's own header in spec/:
// spec/conv2d.hpp has Conv2D's shape rule, layers/conv2d.hpp its forward and backward. The
// composite layers (Block, Residual, Concat, CropConcat, Heads) are in net/, named as in graph/.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

#include "typenet/expr/tensor.hpp"
#include "typenet/layers/parameter.hpp"
#include "typenet/spec/bind.hpp"

namespace typenet {

enum class Mode { train, eval };

template <class Spec, class In, class T>
class Layer;

template <class Bound, class T>
using LayerOf = Layer<typename Bound::spec, typename Bound::input_type, T>;

namespace detail {

template <class T, std::size_t K>
class with_parameters {
 public:
  std::span<Parameter<T>> parameters() { return params_; }
  std::span<const Parameter<T>> parameters() const { return params_; }

 protected:
  std::array<Parameter<T>, K> params_;
};

// Layers that keep per-sample state from forward (masks, winners) check that backward gets the
// same batch: a different one would read state that does not belong to it.
inline void check_backward_batch(std::size_t forward, std::size_t backward, const char* layer) {
  if (forward != backward)
    throw std::invalid_argument(std::string(layer) + ": backward for a batch of " +
                                std::to_string(backward) + " after a forward pass of " +
                                std::to_string(forward));
}

// Layers that size a buffer by the batch capacity check a batch against it.
inline void check_capacity(std::size_t needed, std::size_t available, std::size_t batch,
                           const char* layer) {
  if (needed > available)
    throw std::length_error(std::string(layer) + ": a batch of " + std::to_string(batch) +
                            " exceeds the capacity the layer was built for");
}

// The seed of the random stream of the layer (or branch) at `position` under a parent stream
// `seed`: SplitMix64 (Steele et al. 2014) of both, so every stochastic layer anywhere in a
// network's tree draws its own stream, and the streams change with the model's seed.
constexpr std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t position) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (position + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <class T>
class without_parameters {
 public:
  std::span<Parameter<T>> parameters() { return {}; }
  std::span<const Parameter<T>> parameters() const { return {}; }
};

}  // namespace detail

}  // namespace typenet
