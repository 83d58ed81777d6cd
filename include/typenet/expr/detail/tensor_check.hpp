// Tensor arguments that do not fit: a tensor passed where a network or loss expects another.
// Network::forward and backward, Model::predict and train_step and loss::compute take any tensor
// and report here, so that the error is a sentence with both tensor types in its instantiation
// line rather than the candidates of an overload set. typenet.hpp includes this header first,
// which keeps the include path the compiler prints above the sentence to two lines.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <type_traits>

namespace typenet {

template <class T, class S>
class Tensor;

namespace diag {
// Which argument: a network's input x, Network::backward's dy and dx, a loss's target and
// gradient buffer.
struct network_input {};
struct output_gradient {};
struct input_gradient {};
struct loss_target {};
struct loss_gradient {};
template <class TensorType>
struct expected {};
template <class TensorType>
struct given {};

template <class Argument, class Expected, class Given>
struct tensor_fits;
template <class Argument, class T, class S, class U, class R>
struct tensor_fits<Argument, expected<Tensor<T, S>>, given<Tensor<U, R>>> {
  static constexpr bool value = std::is_same_v<T, U> && std::is_same_v<S, R>;
  struct report {
    static_assert(std::is_same_v<T, U>,
                  "scalar type mismatch: a network (tn::Network<Net, T>, tn::Model<Net, T>) and "
                  "its loss compute in one scalar type, float or double, and this tensor has "
                  "the other: see expected<Tensor<T, ...>> and given<Tensor<U, ...>>; typenet "
                  "does not convert silently: make the tensor a tn::Tensor<T, ...> of the "
                  "network's T, or build the network with the tensor's");
    static_assert(!std::is_same_v<T, U> || std::is_same_v<S, R>,
                  "tensor shape mismatch: see expected<Tensor<T, Shape<...>>> (the network's "
                  "input shape for an input or its gradient, its output shape for an output "
                  "gradient or a loss's gradient buffer) and given<Tensor<T, Shape<...>>>");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

namespace detail {
template <class T>
inline constexpr bool is_tensor = false;
template <class T, class S>
inline constexpr bool is_tensor<Tensor<T, S>> = true;
template <class P>
inline constexpr bool is_tensor_pointer =
    std::is_pointer_v<P>&& is_tensor<std::remove_cv_t<std::remove_pointer_t<P>>>;

// States the rule Given breaks. A function of its own: clang repeats a failed report as a second
// error ("incomplete definition") when a member function of a class template runs it directly.
template <class Argument, class Expected, class Given>
constexpr void report_tensor_argument() {
  static_assert(
      diag::tensor_fits<Argument, diag::expected<Expected>, diag::given<Given>>::report::reported);
}
}  // namespace detail

}  // namespace typenet
