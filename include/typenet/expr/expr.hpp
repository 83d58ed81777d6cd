// Element-wise expression templates over statically shaped tensors, with derivative rules.
//
//   y = max(x + b, 0);              // b: a per-channel vector, broadcast; one loop, no temporaries
//   auto f = [](auto x) { return x * sigmoid(x); };
//   dx = dy * derivative(f(var(x)));  // the backward pass, generated from f at compile time
//
// A node holds its operands by value (leaves are pointers), so building an expression costs
// nothing; assigning it to a tensor maps every node to the matching Eigen array expression and
// lets Eigen run one vectorised loop over the destination. Derivatives are taken with respect to
// the single `var(...)` leaf; Zero and One are types, so d(x) = One and the chain rule's
// multiplications by it vanish before any code is generated.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "typenet/expr/functors.hpp"
#include "typenet/expr/tensor.hpp"
#include "typenet/shape/shape.hpp"

namespace typenet::expr {

template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
template <class T>
using ConstMap = Eigen::Map<const Array<T>>;
template <class T>
using MutableMap = Eigen::Map<Array<T>>;

// How per-channel leaves appear inside one evaluated block.
enum class Broadcast {
  none,    // no per-channel leaf: the whole batch is one block
  vector,  // vector-shaped tensors: a block is one sample, the channel leaf is a whole vector
  scalar,  // C x H x W tensors: a block is one channel of one sample, the leaf is one number
};

template <class T, Broadcast B>
struct Block {
  using scalar = T;
  static constexpr Broadcast broadcast = B;
  std::size_t offset;    // of the block's first element in a full tensor
  Eigen::Index length;   // elements in the block
  std::size_t channel;   // the block's channel (Broadcast::scalar only)
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

  template <class Block>
  auto eigen(const Block& b) const {
    static_assert(std::is_same_v<typename Block::scalar, T>,
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

  template <class Block>
  auto eigen(const Block& b) const {
    static_assert(std::is_same_v<typename Block::scalar, T>,
                  "typenet expression: float and double tensors mixed in one expression");
    // Fixed-size: a vector shorter than one SIMD register then has no packet path at all.
    if constexpr (Block::broadcast == Broadcast::vector)
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
  template <class Block>
  auto eigen(const Block& b) const {
    using T = typename Block::scalar;
    return Array<T>::Constant(b.length, static_cast<T>(value));
  }
  void check_size(std::size_t) const {}
};

// The constants of differentiation, as types so that the chain rule simplifies at compile time.
template <int V>
struct Constant : Node {
  using shape = void;
  static constexpr bool has_channel = false;
  template <class Block>
  auto eigen(const Block& b) const {
    using T = typename Block::scalar;
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
  template <class Block>
  auto eigen(const Block& b) const {
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
  template <class Block>
  auto eigen(const Block& blk) const {
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
  template <class Block>
  auto eigen(const Block& blk) const {
    using T = typename Block::scalar;
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

namespace op {
struct Add {
  static auto eigen(const auto& a, const auto& b) { return a + b; }
};
struct Sub {
  static auto eigen(const auto& a, const auto& b) { return a - b; }
};
struct Mul {
  static auto eigen(const auto& a, const auto& b) { return a * b; }
};
struct Div {
  static auto eigen(const auto& a, const auto& b) { return a / b; }
};
struct Max {
  static auto eigen(const auto& a, const auto& b) { return a.max(b); }
};
struct Min {
  static auto eigen(const auto& a, const auto& b) { return a.min(b); }
};
template <detail::Compare Kind>
struct Cmp {
  template <class A, class B>
  static auto eigen(const A& a, const B& b) {
    return a.binaryExpr(b, detail::compare_op<typename A::Scalar, Kind>{});
  }
};
struct Neg {
  static auto eigen(const auto& a) { return -a; }
};
struct Exp {
  static auto eigen(const auto& a) { return a.exp(); }
};
struct Log {
  static auto eigen(const auto& a) { return a.log(); }
};
struct Tanh {
  static auto eigen(const auto& a) { return a.tanh(); }
};
struct Sigmoid {
  static auto eigen(const auto& a) { return a.logistic(); }
};
struct Sqrt {
  static auto eigen(const auto& a) { return a.sqrt(); }
};
}  // namespace op

// --- building expressions ----------------------------------------------------------------------

template <class X>
inline constexpr bool is_tensor = false;
template <class T, class S>
inline constexpr bool is_tensor<Tensor<T, S>> = true;

// What may appear in an expression: nodes, tensors (read whole) and numbers.
template <class X>
concept Operand = Expression<X> || is_tensor<X> || std::is_arithmetic_v<X>;
template <class X>
concept Term = Expression<X> || is_tensor<X>;

template <Operand X>
auto as_expr(const X& x) {
  if constexpr (Expression<X>)
    return x;
  else if constexpr (is_tensor<X>)
    return Leaf<typename X::scalar, typename X::shape, false>{{}, x.data(), x.size()};
  else
    return Scalar{{}, static_cast<double>(x)};
}

// A tensor as an operand; var(t) marks it as the variable of differentiation.
template <class T, class S>
Leaf<T, S, false> ref(const Tensor<T, S>& t) {
  return {{}, t.data(), t.size()};
}
template <class T, class S>
Leaf<T, S, true> var(const Tensor<T, S>& t) {
  return {{}, t.data(), t.size()};
}
// The same over raw storage of `batch` samples of shape S (for kernels that own their buffers).
template <class S, class T>
Leaf<T, S, false> ref(const T* data, std::size_t batch) {
  return {{}, data, batch * S::size};
}
template <class S, class T>
Leaf<T, S, true> var(const T* data, std::size_t batch) {
  return {{}, data, batch * S::size};
}
template <std::size_t C, class T>
Channel<T, C> channel(const T* data) {
  return {{}, data};
}

template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto operator+(const A& a_, const B& b_) {
  auto a = as_expr(a_);
  auto b = as_expr(b_);
  using EA = decltype(a);
  using EB = decltype(b);
  if constexpr (is_zero<EA>)
    return b;
  else if constexpr (is_zero<EB>)
    return a;
  else
    return Binary<op::Add, EA, EB>{a, b};
}

template <Term A>
auto operator-(const A& a_) {
  auto a = as_expr(a_);
  if constexpr (is_zero<decltype(a)>)
    return a;
  else
    return Unary<op::Neg, decltype(a)>{a};
}

template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto operator-(const A& a_, const B& b_) {
  auto a = as_expr(a_);
  auto b = as_expr(b_);
  using EA = decltype(a);
  using EB = decltype(b);
  if constexpr (is_zero<EB>)
    return a;
  else if constexpr (is_zero<EA>)
    return -b;
  else
    return Binary<op::Sub, EA, EB>{a, b};
}

template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto operator*(const A& a_, const B& b_) {
  auto a = as_expr(a_);
  auto b = as_expr(b_);
  using EA = decltype(a);
  using EB = decltype(b);
  if constexpr (is_zero<EA> || is_zero<EB>)
    return Zero{};
  else if constexpr (is_one<EA>)
    return b;
  else if constexpr (is_one<EB>)
    return a;
  else
    return Binary<op::Mul, EA, EB>{a, b};
}

template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto operator/(const A& a_, const B& b_) {
  auto a = as_expr(a_);
  auto b = as_expr(b_);
  using EA = decltype(a);
  using EB = decltype(b);
  if constexpr (is_zero<EA>)
    return Zero{};
  else if constexpr (is_one<EB>)
    return a;
  else
    return Binary<op::Div, EA, EB>{a, b};
}

// Comparisons give 1 or 0; use them as the condition of select().
template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto operator<(const A& a, const B& b) {
  return Binary<op::Cmp<detail::Compare::less>, decltype(as_expr(a)), decltype(as_expr(b))>{
      as_expr(a), as_expr(b)};
}
template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto operator<=(const A& a, const B& b) {
  return Binary<op::Cmp<detail::Compare::less_equal>, decltype(as_expr(a)),
                decltype(as_expr(b))>{as_expr(a), as_expr(b)};
}
template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto operator>(const A& a, const B& b) {
  return b < a;
}
template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto operator>=(const A& a, const B& b) {
  return b <= a;
}

template <Term C, Operand A, Operand B>
auto select(const C& c_, const A& a_, const B& b_) {
  auto c = as_expr(c_);
  auto a = as_expr(a_);
  auto b = as_expr(b_);
  if constexpr (std::is_same_v<decltype(a), decltype(b)> && is_zero<decltype(a)>)
    return Zero{};
  else
    return Select<decltype(c), decltype(a), decltype(b)>{c, a, b};
}

template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto max(const A& a, const B& b) {
  return Binary<op::Max, decltype(as_expr(a)), decltype(as_expr(b))>{as_expr(a), as_expr(b)};
}
template <Operand A, Operand B>
  requires(Term<A> || Term<B>)
auto min(const A& a, const B& b) {
  return Binary<op::Min, decltype(as_expr(a)), decltype(as_expr(b))>{as_expr(a), as_expr(b)};
}

template <Term A>
auto exp(const A& a) {
  return Unary<op::Exp, decltype(as_expr(a))>{as_expr(a)};
}
template <Term A>
auto log(const A& a) {
  return Unary<op::Log, decltype(as_expr(a))>{as_expr(a)};
}
template <Term A>
auto tanh(const A& a) {
  return Unary<op::Tanh, decltype(as_expr(a))>{as_expr(a)};
}
template <Term A>
auto sigmoid(const A& a) {
  return Unary<op::Sigmoid, decltype(as_expr(a))>{as_expr(a)};
}
template <Term A>
auto sqrt(const A& a) {
  return Unary<op::Sqrt, decltype(as_expr(a))>{as_expr(a)};
}

// --- derivative rules ---------------------------------------------------------------------------
// derivative(e): d e / d x, where x is the expression's var(...) leaf, as another expression.

template <class T, class S>
One derivative(const Leaf<T, S, true>&) {
  return {};
}
template <class T, class S>
Zero derivative(const Leaf<T, S, false>&) {
  return {};
}
template <class T, std::size_t C>
Zero derivative(const Channel<T, C>&) {
  return {};
}
inline Zero derivative(const Scalar&) { return {}; }
template <int V>
Zero derivative(const Constant<V>&) {
  return {};
}

template <class A, class B>
auto derivative(const Binary<op::Add, A, B>& e) {
  return derivative(e.a) + derivative(e.b);
}
template <class A, class B>
auto derivative(const Binary<op::Sub, A, B>& e) {
  return derivative(e.a) - derivative(e.b);
}
template <class A, class B>
auto derivative(const Binary<op::Mul, A, B>& e) {
  return derivative(e.a) * e.b + e.a * derivative(e.b);
}
template <class A, class B>
auto derivative(const Binary<op::Div, A, B>& e) {
  // (a/b)' = (a' - (a/b) b') / b, which is a'/b when b does not depend on x.
  return (derivative(e.a) - e * derivative(e.b)) / e.b;
}
// At a tie the second operand's derivative is taken: max(x, 0) has derivative 0 at x = 0, as
// PyTorch's ReLU does.
template <class A, class B>
auto derivative(const Binary<op::Max, A, B>& e) {
  return select(e.a > e.b, derivative(e.a), derivative(e.b));
}
template <class A, class B>
auto derivative(const Binary<op::Min, A, B>& e) {
  return select(e.a < e.b, derivative(e.a), derivative(e.b));
}
template <detail::Compare K, class A, class B>
Zero derivative(const Binary<op::Cmp<K>, A, B>&) {
  return {};
}
template <class C, class A, class B>
auto derivative(const Select<C, A, B>& e) {
  return select(e.c, derivative(e.a), derivative(e.b));
}
template <class A>
auto derivative(const Unary<op::Neg, A>& e) {
  return -derivative(e.a);
}
template <class A>
auto derivative(const Unary<op::Exp, A>& e) {
  return e * derivative(e.a);
}
template <class A>
auto derivative(const Unary<op::Log, A>& e) {
  return derivative(e.a) / e.a;
}
template <class A>
auto derivative(const Unary<op::Tanh, A>& e) {
  return (1.0 - e * e) * derivative(e.a);
}
template <class A>
auto derivative(const Unary<op::Sigmoid, A>& e) {
  return e * (1.0 - e) * derivative(e.a);
}
template <class A>
auto derivative(const Unary<op::Sqrt, A>& e) {
  return derivative(e.a) / (2.0 * e);
}

// --- evaluation -------------------------------------------------------------------------------

// Calls f(block) for each block of a batch of `batch` samples of shape S, sized so that every
// per-channel leaf of E is one vector or one number inside it.
template <class S, class T, class E, class F>
void for_each_block(std::size_t batch, F&& f) {
  constexpr std::size_t channels = S::rank == 0 ? 1 : S::dims[0];
  constexpr std::size_t inner = S::size / channels;
  if constexpr (!E::has_channel) {
    f(Block<T, Broadcast::none>{0, static_cast<Eigen::Index>(batch * S::size), 0});
  } else if constexpr (inner == 1) {
    for (std::size_t n = 0; n < batch; ++n)
      f(Block<T, Broadcast::vector>{n * channels, static_cast<Eigen::Index>(channels), 0});
  } else {
    for (std::size_t n = 0; n < batch; ++n)
      for (std::size_t c = 0; c < channels; ++c)
        f(Block<T, Broadcast::scalar>{(n * channels + c) * inner,
                                      static_cast<Eigen::Index>(inner), c});
  }
}

template <class S, class E>
constexpr bool channels_fit() {
  if constexpr (!E::has_channel) return true;
  else return S::rank >= 1;
}

// dst[0 .. batch * S::size) = e, in one vectorised pass.
template <class S, class T, Expression E>
void evaluate(T* dst, std::size_t batch, const E& e) {
  static_assert(std::is_void_v<typename E::shape> || std::is_same_v<typename E::shape, S>,
                "typenet expression: the expression's tensors have a different shape than the "
                "tensor it is assigned to");
  static_assert(channels_fit<S, E>(),
                "typenet expression: a per-channel vector needs a tensor with a channel axis");
  e.check_size(batch * S::size);
  for_each_block<S, T, E>(batch, [&](const auto& b) {
    MutableMap<T>(dst + b.offset, b.length) = e.eigen(b);
  });
}

template <class T, class S, Expression E>
void assign(Tensor<T, S>& dst, const E& e) {
  evaluate<S>(dst.data(), dst.batch(), e);
}

// --- reductions ---------------------------------------------------------------------------------

enum class Reduce { sum, mean, max, log_sum_exp };

namespace detail {
template <Reduce R, class T>
struct accumulator {
  T value = R == Reduce::max ? -std::numeric_limits<T>::infinity() : T(0);
  void add(const auto& block) {
    if constexpr (R == Reduce::max)
      value = std::max(value, block.maxCoeff());
    else
      value += block.sum();
  }
};
}  // namespace detail

// out[n] = R over the features of sample n (C*H*W numbers), n < batch.
template <Reduce R, class S, class T, Expression E>
void reduce_samples(const E& e, std::size_t batch, T* out) {
  e.check_size(batch * S::size);
  if constexpr (R == Reduce::log_sum_exp) {
    reduce_samples<Reduce::max, S>(e, batch, out);
    for (std::size_t n = 0; n < batch; ++n) {
      const T m = out[n];
      T sum = 0;
      // One sample at a time: the shift by its own maximum keeps exp() in range.
      auto shifted = e - static_cast<double>(m);
      for_each_block<S, T, E>(1, [&](auto b) {
        b.offset += n * S::size;
        sum += shifted.eigen(b).exp().sum();
      });
      out[n] = m + std::log(sum);
    }
  } else {
    for (std::size_t n = 0; n < batch; ++n) {
      detail::accumulator<R, T> acc;
      for_each_block<S, T, E>(1, [&](auto b) {
        b.offset += n * S::size;
        acc.add(e.eigen(b));
      });
      out[n] = R == Reduce::mean ? acc.value / T(S::size) : acc.value;
    }
  }
}

// out[c] = R over the batch and the spatial positions of channel c (what batch norm needs).
template <Reduce R, class S, class T, Expression E>
void reduce_channels(const E& e, std::size_t batch, T* out) {
  static_assert(R != Reduce::log_sum_exp, "reduce_channels: use sum, mean or max");
  e.check_size(batch * S::size);
  constexpr std::size_t channels = S::dims[0];
  constexpr std::size_t inner = S::size / channels;
  if constexpr (inner == 1) {
    // Vectors: one block per sample, reduced element-wise across the batch.
    MutableMap<T> total(out, channels);
    if constexpr (R == Reduce::max)
      total.setConstant(-std::numeric_limits<T>::infinity());
    else
      total.setZero();
    for (std::size_t n = 0; n < batch; ++n) {
      const Block<T, Broadcast::vector> b{n * channels, static_cast<Eigen::Index>(channels), 0};
      if constexpr (R == Reduce::max)
        total = total.max(e.eigen(b));
      else
        total += e.eigen(b);
    }
    if constexpr (R == Reduce::mean) total /= T(batch);
  } else {
    for (std::size_t c = 0; c < channels; ++c) {
      detail::accumulator<R, T> acc;
      for (std::size_t n = 0; n < batch; ++n)
        acc.add(e.eigen(Block<T, Broadcast::scalar>{(n * channels + c) * inner,
                                                    static_cast<Eigen::Index>(inner), c}));
      out[c] = R == Reduce::mean ? acc.value / T(batch * inner) : acc.value;
    }
  }
}

// dst = e and sums[c] = the sum of dst over the batch and the positions of channel c, in one
// pass: each block is reduced while it is still in cache. (A weight layer's fused backward
// epilogue: dz = act'(x) * dy and the bias gradient together.)
template <class S, class T, Expression E>
void evaluate_with_channel_sums(T* dst, std::size_t batch, const E& e, T* sums) {
  static_assert(std::is_void_v<typename E::shape> || std::is_same_v<typename E::shape, S>,
                "typenet expression: the expression's tensors have a different shape than the "
                "tensor it is assigned to");
  e.check_size(batch * S::size);
  constexpr std::size_t channels = S::dims[0];
  constexpr std::size_t inner = S::size / channels;
  MutableMap<T> total(sums, channels);
  total.setZero();
  if constexpr (inner == 1) {
    for (std::size_t n = 0; n < batch; ++n) {
      const Block<T, Broadcast::vector> b{n * channels, static_cast<Eigen::Index>(channels), 0};
      MutableMap<T> out(dst + b.offset, b.length);
      out = e.eigen(b);
      total += out;
    }
  } else {
    for (std::size_t n = 0; n < batch; ++n)
      for (std::size_t c = 0; c < channels; ++c) {
        const Block<T, Broadcast::scalar> b{(n * channels + c) * inner,
                                            static_cast<Eigen::Index>(inner), c};
        MutableMap<T> out(dst + b.offset, b.length);
        out = e.eigen(b);
        sums[c] += out.sum();
      }
  }
}

// R over everything.
template <Reduce R, class S, class T, Expression E>
T reduce_all(const E& e, std::size_t batch) {
  static_assert(R != Reduce::log_sum_exp, "reduce_all: use sum, mean or max");
  e.check_size(batch * S::size);
  detail::accumulator<R, T> acc;
  for_each_block<S, T, E>(batch, [&](const auto& b) { acc.add(e.eigen(b)); });
  return R == Reduce::mean ? acc.value / T(batch * S::size) : acc.value;
}

}  // namespace typenet::expr

namespace typenet {
// Tensors are operands too, found by argument-dependent lookup: y = max(x + 1, 0).
using expr::operator+;
using expr::operator-;
using expr::operator*;
using expr::operator/;
using expr::operator<;
using expr::operator<=;
using expr::operator>;
using expr::operator>=;
using expr::exp;
using expr::log;
using expr::max;
using expr::min;
using expr::select;
using expr::sigmoid;
using expr::sqrt;
using expr::tanh;

// Tensors take expressions on assignment: t = max(expr::ref(u) + 1, 0).
template <class T, class S>
template <class E>
  requires requires { typename E::is_typenet_expression; }
Tensor<T, S>& Tensor<T, S>::operator=(const E& e) {
  expr::assign(*this, e);
  return *this;
}
}  // namespace typenet
