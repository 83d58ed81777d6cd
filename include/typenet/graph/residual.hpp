// Residual<Branch, Shortcut = Identity>: output = branch(x) + shortcut(x) (He et al. 2016).
// Both paths must produce the same shape (a compile error names both); a Branch or Shortcut is
// one spec or a Block<...>. Parameters and MACs: both paths'.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>
#include <type_traits>

#include "typenet/graph/block.hpp"
#include "typenet/graph/detail/branch.hpp"
#include "typenet/graph/detail/topology_checks.hpp"
#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/identity.hpp"

namespace typenet {

template <class Branch, class Shortcut = Identity>
struct Residual {
  using branch = Branch;
  using shortcut = Shortcut;

  template <class In, std::size_t I>
  struct check {
   private:
    using main = detail::bound_branch<In, Branch>;
    using side = detail::bound_branch<In, Shortcut>;
    static constexpr bool bound =
        ShapeType<typename main::output> && ShapeType<typename side::output>;
    using agree = diag::residual_paths_agree<
        diag::layer<I>, Residual, diag::input_t<In>,
        typename diag::carry<diag::branch_output, typename main::output>::type,
        typename diag::carry<diag::shortcut_output, typename side::output>::type,
        std::is_same_v<typename main::output, typename side::output>, bound>;
    static_assert(agree::report::reported);

   public:
    static constexpr bool value = agree::value;
  };

  template <class In>
  struct shapes {
    using main = detail::bound_branch<In, Branch>;
    using side = detail::bound_branch<In, Shortcut>;
    using output = typename main::output;
    using parameters = boost::mp11::mp_append<detail::branch_parameters<typename main::layers>,
                                              detail::branch_parameters<typename side::layers>>;
    static constexpr std::size_t macs =
        detail::branch_macs(typename main::layers{}) + detail::branch_macs(typename side::layers{});
  };

  template <class In>
  using paths = boost::mp11::mp_list<
      detail::summary_path<typename detail::bound_branch<In, Branch>::layers>,
      detail::summary_path<typename detail::bound_branch<In, Shortcut>::layers, 's'>>;
  static std::string name() {
    return std::is_same_v<Shortcut, Identity> ? "Residual" : "Residual, projection shortcut (s)";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
