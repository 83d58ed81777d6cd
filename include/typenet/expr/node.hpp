// The nodes of an expression: leaves (a tensor, a per-channel vector, a number, the constants
// Zero and One), Unary, Binary and Select nodes, and the operations they apply. Each node maps
// itself, for one Chunk of the destination, to the matching Eigen array expression.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <Eigen/Core>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "typenet/expr/detail/functors.hpp"
#include "typenet/expr/tensor.hpp"
#include "typenet/shape/shape.hpp"

namespace typenet::expr {

template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
template <class T>
using ConstMap = Eigen::Map<const Array<T>>;
template <class T>
using MutableMap = Eigen::Map<Array<T>>;

// How per-channel leaves appear inside one evaluated chunk.
enum class Broadcast {
  none,    // no per-channel leaf: the whole batch is one chunk
  vector,  // vector-shaped tensors: a chunk is one sample, the channel leaf is a whole vector
  scalar,  // C x H x W tensors: a chunk is one channel of one sample, the leaf is one number
};

template <class T, Broadcast B>
struct Chunk {
  using scalar = T;
  static constexpr Broadcast broadcast = B;
  std::size_t offset;   // of the chunk's first element in a full tensor
  Eigen::Index length;  // elements in the chunk
  std::size_t channel;  // the chunk's channel (Broadcast::scalar only)
};

struct Node {
  using is_typenet_expression = void;
};
template <class E>
concept Expression = std::is_base_of_v<Node, E>;

// The shape of the tensors in an expression: void when it has none (scalars only).
template <class A, class B>
struct common_shape {
  static_assert(std::is_void_v<A> || std::is_void_v<B> || std::is_same_v<A, B>,
                "typenet expression: tensors of different shapes in one element-wise expression "
                "(broadcast a per-channel vector with tn::expr::channel(v) instead)");
  using type = std::conditional_t<std::is_void_v<A>, B, A>;
};
template <class A, class B>
using common_shape_t = typename common_shape<A, B>::type;

// --- leaves ---------------------------------------------------------------------------------

// A tensor taking part in an expression; `Variable` marks the one derivatives are taken against.
template <class T, class S, bool Variable>
struct Leaf : Node {
  using shape = S;
  static constexpr bool has_channel = false;
  const T* data;
  std::size_t size;  // elements: batch * S::size

  template <class Part>
  auto eigen(const Part& b) const {
    static_assert(std::is_same_v<typename Part::scalar, T>,
                  "typenet expression: float and double tensors mixed in one expression");
    return ConstMap<T>(data + b.offset, b.length);
  }
  void check_size(std::size_t expected) const {
    if (size != expected)
      throw std::invalid_argument("typenet expression: a tensor of " + std::to_string(size) +
                                  " elements in an expression evaluated over " +
                                  std::to_string(expected) + " (batch sizes differ)");
  }
};

// A vector of C numbers, one per channel, broadcast over the batch and the spatial positions.
template <class T, std::size_t C>
struct Channel : Node {
  using shape = void;
  static constexpr bool has_channel = true;
  static constexpr std::size_t channels = C;
  const T* data;

  template <class Part>
  auto eigen(const Part& b) const {
    static_assert(std::is_same_v<typename Part::scalar, T>,
                  "typenet expression: float and double tensors mixed in one expression");
    // Fixed-size: a vector shorter than one SIMD register then has no packet path at all.
    if constexpr (Part::broadcast == Broadcast::vector)
      return Eigen::Map<const Eigen::Array<T, static_cast<int>(C), 1>>(data);
    else
      return Array<T>::Constant(b.length, data[b.channel]);
  }
  void check_size(std::size_t) const {}
};

struct Scalar : Node {
  using shape = void;
  static constexpr bool has_channel = false;
  double value;
  template <class Part>
  auto eigen(const Part& b) const {
    using T = typename Part::scalar;
    return Array<T>::Constant(b.length, static_cast<T>(value));
  }
  void check_size(std::size_t) const {}
};

// The constants of differentiation, as types so that the chain rule simplifies at compile time.
template <int V>
struct Constant : Node {
  using shape = void;
  static constexpr bool has_channel = false;
  template <class Part>
  auto eigen(const Part& b) const {
    using T = typename Part::scalar;
    return Array<T>::Constant(b.length, T(V));
  }
  void check_size(std::size_t) const {}
};
using Zero = Constant<0>;
using One = Constant<1>;

template <class E>
inline constexpr bool is_zero = std::is_same_v<E, Zero>;
template <class E>
inline constexpr bool is_one = std::is_same_v<E, One>;

// --- interior nodes ---------------------------------------------------------------------------

template <class Op, class A>
struct Unary : Node {
  using shape = typename A::shape;
  static constexpr bool has_channel = A::has_channel;
  A a;
  Unary(A a_) : a(a_) {}
  template <class Part>
  auto eigen(const Part& b) const {
    return Op::eigen(a.eigen(b));
  }
  void check_size(std::size_t n) const { a.check_size(n); }
};

template <class Op, class A, class B>
struct Binary : Node {
  using shape = common_shape_t<typename A::shape, typename B::shape>;
  static constexpr bool has_channel = A::has_channel || B::has_channel;
  A a;
  B b;
  Binary(A a_, B b_) : a(a_), b(b_) {}
  template <class Part>
  auto eigen(const Part& blk) const {
    return Op::eigen(a.eigen(blk), b.eigen(blk));
  }
  void check_size(std::size_t n) const {
    a.check_size(n);
    b.check_size(n);
  }
};

template <class C, class A, class B>
struct Select : Node {
  using shape =
      common_shape_t<typename C::shape, common_shape_t<typename A::shape, typename B::shape>>;
  static constexpr bool has_channel = C::has_channel || A::has_channel || B::has_channel;
  C c;
  A a;
  B b;
  Select(C c_, A a_, B b_) : c(c_), a(a_), b(b_) {}
  template <class Part>
  auto eigen(const Part& blk) const {
    using T = typename Part::scalar;
    auto ce = c.eigen(blk);
    auto ae = a.eigen(blk);
    auto be = b.eigen(blk);
    return Eigen::CwiseTernaryOp<detail::select_op<T>, const decltype(ce), const decltype(ae),
                                 const decltype(be)>(ce, ae, be);
  }
  void check_size(std::size_t n) const {
    c.check_size(n);
    a.check_size(n);
    b.check_size(n);
  }
};

// The operation of each Unary or Binary node: the Eigen expression it maps to.
struct add_op {
  static auto eigen(const auto& a, const auto& b) { return a + b; }
};
struct sub_op {
  static auto eigen(const auto& a, const auto& b) { return a - b; }
};
struct mul_op {
  static auto eigen(const auto& a, const auto& b) { return a * b; }
};
struct div_op {
  static auto eigen(const auto& a, const auto& b) { return a / b; }
};
struct max_op {
  static auto eigen(const auto& a, const auto& b) { return a.max(b); }
};
struct min_op {
  static auto eigen(const auto& a, const auto& b) { return a.min(b); }
};
template <detail::Compare Kind>
struct compare_node {
  template <class A, class B>
  static auto eigen(const A& a, const B& b) {
    return a.binaryExpr(b, detail::compare_op<typename A::Scalar, Kind>{});
  }
};
struct negate_op {
  static auto eigen(const auto& a) { return -a; }
};
struct exp_op {
  static auto eigen(const auto& a) { return a.exp(); }
};
struct log_op {
  static auto eigen(const auto& a) { return a.log(); }
};
struct tanh_op {
  static auto eigen(const auto& a) { return a.tanh(); }
};
struct sigmoid_op {
  static auto eigen(const auto& a) { return a.logistic(); }
};
struct sqrt_op {
  static auto eigen(const auto& a) { return a.sqrt(); }
};

}  // namespace typenet::expr

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
