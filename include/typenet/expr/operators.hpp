// Building expressions: operands (nodes, tensors, numbers), ref/var/channel leaves, the
// arithmetic, comparison and select operators and the element-wise functions.
#pragma once

#include <cstddef>
#include <type_traits>

#include "typenet/expr/node.hpp"
#include "typenet/expr/tensor.hpp"

namespace typenet::expr {

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
requires(Term<A> || Term<B>) auto operator+(const A& a_, const B& b_) {
  auto a = as_expr(a_);
  auto b = as_expr(b_);
  using EA = decltype(a);
  using EB = decltype(b);
  if constexpr (is_zero<EA>)
    return b;
  else if constexpr (is_zero<EB>)
    return a;
  else
    return Binary<add_op, EA, EB>{a, b};
}

template <Term A>
auto operator-(const A& a_) {
  auto a = as_expr(a_);
  if constexpr (is_zero<decltype(a)>)
    return a;
  else
    return Unary<negate_op, decltype(a)>{a};
}

template <Operand A, Operand B>
requires(Term<A> || Term<B>) auto operator-(const A& a_, const B& b_) {
  auto a = as_expr(a_);
  auto b = as_expr(b_);
  using EA = decltype(a);
  using EB = decltype(b);
  if constexpr (is_zero<EB>)
    return a;
  else if constexpr (is_zero<EA>)
    return -b;
  else
    return Binary<sub_op, EA, EB>{a, b};
}

template <Operand A, Operand B>
requires(Term<A> || Term<B>) auto operator*(const A& a_, const B& b_) {
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
    return Binary<mul_op, EA, EB>{a, b};
}

template <Operand A, Operand B>
requires(Term<A> || Term<B>) auto operator/(const A& a_, const B& b_) {
  auto a = as_expr(a_);
  auto b = as_expr(b_);
  using EA = decltype(a);
  using EB = decltype(b);
  if constexpr (is_zero<EA>)
    return Zero{};
  else if constexpr (is_one<EB>)
    return a;
  else
    return Binary<div_op, EA, EB>{a, b};
}

// Comparisons give 1 or 0; use them as the condition of select().
template <Operand A, Operand B>
requires(Term<A> || Term<B>) auto operator<(const A& a, const B& b) {
  return Binary<compare_node<detail::Compare::less>, decltype(as_expr(a)), decltype(as_expr(b))>{
      as_expr(a), as_expr(b)};
}
template <Operand A, Operand B>
requires(Term<A> || Term<B>) auto operator<=(const A& a, const B& b) {
  return Binary<compare_node<detail::Compare::less_equal>, decltype(as_expr(a)),
                decltype(as_expr(b))>{as_expr(a), as_expr(b)};
}
template <Operand A, Operand B>
requires(Term<A> || Term<B>) auto operator>(const A& a, const B& b) { return b < a; }
template <Operand A, Operand B>
requires(Term<A> || Term<B>) auto operator>=(const A& a, const B& b) { return b <= a; }

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
requires(Term<A> || Term<B>) auto max(const A& a, const B& b) {
  return Binary<max_op, decltype(as_expr(a)), decltype(as_expr(b))>{as_expr(a), as_expr(b)};
}
template <Operand A, Operand B>
requires(Term<A> || Term<B>) auto min(const A& a, const B& b) {
  return Binary<min_op, decltype(as_expr(a)), decltype(as_expr(b))>{as_expr(a), as_expr(b)};
}

template <Term A>
auto exp(const A& a) {
  return Unary<exp_op, decltype(as_expr(a))>{as_expr(a)};
}
template <Term A>
auto log(const A& a) {
  return Unary<log_op, decltype(as_expr(a))>{as_expr(a)};
}
template <Term A>
auto tanh(const A& a) {
  return Unary<tanh_op, decltype(as_expr(a))>{as_expr(a)};
}
template <Term A>
auto sigmoid(const A& a) {
  return Unary<sigmoid_op, decltype(as_expr(a))>{as_expr(a)};
}
template <Term A>
auto sqrt(const A& a) {
  return Unary<sqrt_op, decltype(as_expr(a))>{as_expr(a)};
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
}  // namespace typenet
