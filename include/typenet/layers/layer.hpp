// A computable layer: a spec bound to its input shape, with parameters and forward/backward.
//
//   Layer<Spec, In, T> layer(capacity);     // every buffer allocated here, for `capacity` samples
//   layer.forward(x, y, Mode::train);        // y.batch() becomes x.batch()
//   layer.backward(x, y, dy, &dx);           // dx (may be null), parameter gradients overwritten
//
// Each spec's specialisation lives in the header named after it (layers/dense.hpp, ...).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "typenet/expr/expr.hpp"
#include "typenet/expr/tensor.hpp"
#include "typenet/spec/layer.hpp"

namespace typenet {

enum class Mode { train, eval };

// A trainable tensor and its gradient. fan_in / fan_out are what Xavier and He initialisation
// need (inputs and outputs feeding one unit).
template <class T>
struct Parameter {
  std::string_view name;
  AlignedBuffer<T> value;
  AlignedBuffer<T> gradient;
  std::size_t fan_in = 1;
  std::size_t fan_out = 1;
  std::size_t layer = 0;  // index of the layer it belongs to in its network

  Parameter() = default;
  Parameter(std::string_view name_, std::size_t size, std::size_t fan_in_ = 1,
            std::size_t fan_out_ = 1)
      : name(name_), value(size), gradient(size), fan_in(fan_in_), fan_out(fan_out_) {}
  std::size_t size() const { return value.size(); }
};

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

template <class T>
class without_parameters {
 public:
  std::span<Parameter<T>> parameters() { return {}; }
  std::span<const Parameter<T>> parameters() const { return {}; }
};

}  // namespace detail

}  // namespace typenet
