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

#include "typenet/expr/derivative.hpp"
#include "typenet/expr/evaluate.hpp"
#include "typenet/expr/node.hpp"
#include "typenet/expr/operators.hpp"
#include "typenet/expr/reduce.hpp"
#include "typenet/expr/tensor.hpp"
