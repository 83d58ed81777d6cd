// The two element-wise operations Eigen 3.4 does not vectorise by itself: a comparison that
// yields 1 or 0 in the tensor's own scalar type (Eigen's yields bool, which has no packets and
// turns the whole expression scalar) and a select (Eigen's Select class has no packet path).
// Both are written with Eigen's packet primitives so an expression using them stays one SIMD loop.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <Eigen/Core>

namespace typenet::expr::detail {

enum class Compare { less, less_equal };

template <class T, Compare Kind>
struct compare_op {
  using result_type = T;
  T operator()(const T& a, const T& b) const {
    return (Kind == Compare::less ? a < b : a <= b) ? T(1) : T(0);
  }
  template <class Packet>
  Packet packetOp(const Packet& a, const Packet& b) const {
    namespace ei = Eigen::internal;
    const Packet mask = Kind == Compare::less ? ei::pcmp_lt(a, b) : ei::pcmp_le(a, b);
    return ei::pand(mask, ei::pset1<Packet>(T(1)));
  }
};

// select(c, a, b) = c != 0 ? a : b; both a and b are evaluated, as in any SIMD select, and the
// unused one never leaks into the result (no 0 * inf = NaN as with c*a + (1-c)*b).
template <class T>
struct select_op {
  using result_type = T;
  T operator()(const T& c, const T& a, const T& b) const { return c != T(0) ? a : b; }
  template <class Packet>
  Packet packetOp(const Packet& c, const Packet& a, const Packet& b) const {
    namespace ei = Eigen::internal;
    return ei::pselect(ei::pcmp_eq(c, ei::pzero(c)), b, a);
  }
};

}  // namespace typenet::expr::detail

namespace Eigen::internal {
template <class T, typenet::expr::detail::Compare Kind>
struct functor_traits<typenet::expr::detail::compare_op<T, Kind>> {
  enum { Cost = 2, PacketAccess = packet_traits<T>::HasCmp };
};
template <class T>
struct functor_traits<typenet::expr::detail::select_op<T>> {
  enum { Cost = 2, PacketAccess = packet_traits<T>::HasCmp };
};
}  // namespace Eigen::internal
