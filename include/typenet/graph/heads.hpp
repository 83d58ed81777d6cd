// Heads<Head<Branch, Loss, Label>...>: several outputs of one trunk, each with its own loss
// (multi-task: a class and a box). The layer's output is the heads' outputs one after the other,
// flattened (Shape<sum of their sizes>); loss::MultiTask trains them and head_output<K, Net>
// reads head K back. Each head's loss must fit its output and label: a compile error names the
// layer and the head.
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
#include <utility>

#include "typenet/graph/block.hpp"
#include "typenet/graph/detail/branch.hpp"
#include "typenet/graph/detail/topology_checks.hpp"
#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/loss.hpp"

namespace typenet {

// One output of a Heads<...>: a branch and the loss that trains it. Label is tn::ClassIndex or
// a tn::Shape<...> target; by default ClassIndex for the classification losses and the head's
// output shape for the element-wise ones.
template <class Branch, class Loss, class Label = void>
struct Head {
  using branch = Branch;
  using loss = Loss;
  using label = Label;
};

namespace detail {
template <class Head, class Out>
using head_label = std::conditional_t<
    !std::is_void_v<typename Head::label>, typename Head::label,
    std::conditional_t<Head::loss::labels == loss::detail::Labels::same_shape_target, Out,
                       ClassIndex>>;
}  // namespace detail

template <class... Hs>
struct Heads {
  static_assert(sizeof...(Hs) >= 1, "Heads<Head<Branch, Loss>...> requires at least one head");
  using heads = boost::mp11::mp_list<Hs...>;
  static constexpr std::size_t count = sizeof...(Hs);

  // The output shape of each head for input In.
  template <class In>
  using outputs =
      boost::mp11::mp_list<typename detail::bound_branch<In, typename Hs::branch>::output...>;

  template <class In, std::size_t I>
  struct check {
   private:
    static constexpr bool bound =
        (ShapeType<typename detail::bound_branch<In, typename Hs::branch>::output> && ...);
    template <class Indices>
    struct losses;
    template <std::size_t... K>
    struct losses<std::index_sequence<K...>> {
      template <std::size_t J>
      using out = boost::mp11::mp_at_c<outputs<In>, J>;
      template <std::size_t J>
      using head = boost::mp11::mp_at_c<heads, J>;
      template <std::size_t J>
      using fits =
          diag::head_loss_fits<diag::layer<I>, diag::head<J>, Heads, typename head<J>::loss,
                               typename diag::carry<diag::output, out<J>>::type,
                               detail::head_label<head<J>, out<J>>, bound>;
      static_assert((fits<K>::report::reported && ...));
      static constexpr bool value = (fits<K>::value && ...);
    };

   public:
    static constexpr bool value = bound && losses<std::index_sequence_for<Hs...>>::value;
  };

  template <class In>
  struct shapes {
    using output =
        Shape<(std::size_t{0} + ... + detail::bound_branch<In, typename Hs::branch>::output::size)>;
    using parameters = boost::mp11::mp_append<detail::branch_parameters<
        typename detail::bound_branch<In, typename Hs::branch>::layers>...>;
    static constexpr std::size_t macs =
        (std::size_t{0} + ... +
         detail::branch_macs(typename detail::bound_branch<In, typename Hs::branch>::layers{}));
  };

  template <class In, class Indices = std::index_sequence_for<Hs...>>
  struct paths_of;
  template <class In, std::size_t... K>
  struct paths_of<In, std::index_sequence<K...>> {
    using type = boost::mp11::mp_list<
        detail::summary_path<typename detail::bound_branch<In, typename Hs::branch>::layers, 'h',
                             char('0' + K % 10), '.'>...>;
  };
  template <class In>
  using paths = typename paths_of<In>::type;
  static std::string name() { return "Heads, " + std::to_string(sizeof...(Hs)) + " outputs (h)"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
