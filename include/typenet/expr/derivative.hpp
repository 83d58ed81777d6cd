// Derivative rules: derivative(e) is the expression of de/dx for the single var(...) leaf x of e,
// one rule per node kind. Zero and One are types, so the chain rule's terms with them vanish at
// compile time.
#pragma once

#include "typenet/expr/node.hpp"
#include "typenet/expr/operators.hpp"

namespace typenet::expr {

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
auto derivative(const Binary<add_op, A, B>& e) {
  return derivative(e.a) + derivative(e.b);
}
template <class A, class B>
auto derivative(const Binary<sub_op, A, B>& e) {
  return derivative(e.a) - derivative(e.b);
}
template <class A, class B>
auto derivative(const Binary<mul_op, A, B>& e) {
  return derivative(e.a) * e.b + e.a * derivative(e.b);
}
template <class A, class B>
auto derivative(const Binary<div_op, A, B>& e) {
  // (a/b)' = (a' - (a/b) b') / b, which is a'/b when b does not depend on x.
  return (derivative(e.a) - e * derivative(e.b)) / e.b;
}
// At a tie the second operand's derivative is taken: max(x, 0) has derivative 0 at x = 0, as
// PyTorch's ReLU does.
template <class A, class B>
auto derivative(const Binary<max_op, A, B>& e) {
  return select(e.a > e.b, derivative(e.a), derivative(e.b));
}
template <class A, class B>
auto derivative(const Binary<min_op, A, B>& e) {
  return select(e.a < e.b, derivative(e.a), derivative(e.b));
}
template <detail::Compare K, class A, class B>
Zero derivative(const Binary<compare_node<K>, A, B>&) {
  return {};
}
template <class C, class A, class B>
auto derivative(const Select<C, A, B>& e) {
  return select(e.c, derivative(e.a), derivative(e.b));
}
template <class A>
auto derivative(const Unary<negate_op, A>& e) {
  return -derivative(e.a);
}
template <class A>
auto derivative(const Unary<exp_op, A>& e) {
  return e * derivative(e.a);
}
template <class A>
auto derivative(const Unary<log_op, A>& e) {
  return derivative(e.a) / e.a;
}
template <class A>
auto derivative(const Unary<tanh_op, A>& e) {
  return (1.0 - e * e) * derivative(e.a);
}
template <class A>
auto derivative(const Unary<sigmoid_op, A>& e) {
  return e * (1.0 - e) * derivative(e.a);
}
template <class A>
auto derivative(const Unary<sqrt_op, A>& e) {
  return derivative(e.a) / (2.0 * e);
}

}  // namespace typenet::expr
