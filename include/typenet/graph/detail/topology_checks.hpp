// The compile-time rules of the composite layers (Residual, Concat, CropConcat, Heads), written
// as every check is (spec/detail/checks.hpp): the numbers in the arguments, the sentence in the
// report.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/loss.hpp"

namespace typenet {

namespace diag {
// The shapes each path of a Residual or each branch of a Concat produces.
template <std::size_t... D>
struct branch_output {};
template <std::size_t... D>
struct shortcut_output {};

// A shape as one of the carriers above (empty for InvalidShape).
template <template <std::size_t...> class Carrier, class S>
struct carry {
  using type = Carrier<>;
};
template <template <std::size_t...> class Carrier, std::size_t... D>
struct carry<Carrier, Shape<D...>> {
  using type = Carrier<D...>;
};

template <std::size_t... D>
inline constexpr std::size_t rank_of<branch_output<D...>> = sizeof...(D);
template <std::size_t K, std::size_t... D>
inline constexpr std::size_t dim_of<branch_output<D...>, K> =
    K < sizeof...(D) ? Shape<D...>::dims[K < sizeof...(D) ? K : 0] : 0;

template <class Layer, class Spec, class Input, class Branch, class Shortcut, bool Same,
          bool Enabled>
struct residual_paths_agree {
  static constexpr bool value = Enabled && Same;
  struct report {
    static_assert(!Enabled || value,
                  "Residual<Branch, Shortcut> requires the branch and the shortcut to produce "
                  "the same shape (they are added): see branch_output<...> and "
                  "shortcut_output<...>; give the shortcut a projection such as "
                  "Block<Conv2D<C, Kernel<1>, Stride<S>>, BatchNorm>, or change the branch");
    static constexpr bool reported = true;
  };
};

template <class Layer, class Spec, class Input, bool Enabled, class... Outputs>
struct concat_spatial_agree {
  static constexpr bool images = ((rank_of<Outputs> == 3) && ...);
  static constexpr bool value = [] {
    if constexpr (!Enabled || !images) {
      return false;
    } else {
      using First = boost::mp11::mp_first<boost::mp11::mp_list<Outputs...>>;
      return (
          (dim_of<Outputs, 1> == dim_of<First, 1> && dim_of<Outputs, 2> == dim_of<First, 2>)&&...);
    }
  }();
  struct report {
    static_assert(!Enabled || images,
                  "Concat<Branch...> joins images along their channels: every branch must "
                  "produce a C x H x W output (see the branch_output<...> list)");
    static_assert(!Enabled || !images || value,
                  "Concat<Branch...> requires every branch to produce the same height and width "
                  "(it joins them along channels): see the branch_output<...> list; pad or "
                  "stride the branches alike");
    static constexpr bool reported = true;
  };
};
template <class Layer, class Spec, class Input, bool Enabled, class... Outputs>
struct crop_concat_fits {
 private:
  using Target = boost::mp11::mp_back<boost::mp11::mp_list<Outputs...>>;
  static constexpr std::size_t H = dim_of<Target, 1>, W = dim_of<Target, 2>;

 public:
  static constexpr bool images = ((rank_of<Outputs> == 3) && ...);
  static constexpr bool larger =
      !images || ((dim_of<Outputs, 1> >= H && dim_of<Outputs, 2> >= W) && ...);
  static constexpr bool even =
      !images || !larger ||
      (((dim_of<Outputs, 1> - H) % 2 == 0 && (dim_of<Outputs, 2> - W) % 2 == 0) && ...);
  static constexpr bool value = Enabled && images && larger && even;
  struct report {
    static_assert(!Enabled || images,
                  "CropConcat<Branch...> joins images along their channels: every branch must "
                  "produce a C x H x W output (see the branch_output<...> list)");
    static_assert(!Enabled || larger,
                  "CropConcat<Branch...> crop does not fit: every branch is centre-cropped to "
                  "the height and width of the last branch (the up-sampled path), so each "
                  "branch_output<...> must be at least as large as the last one");
    static_assert(!Enabled || even,
                  "CropConcat<Branch...> crop does not fit: a branch larger than the last by an "
                  "odd number of rows or columns has no centre crop; see the branch_output<...> "
                  "list and choose an input size that keeps each difference even");
    static constexpr bool reported = true;
  };
};

// A check that passed (stands in for one that is not enabled).
struct passed {
  static constexpr bool value = true;
  struct report {
    static constexpr bool reported = true;
  };
};

// Head K of a Heads<...>: its loss must fit its output and label (see spec/loss.hpp).
template <class Layer, class Head, class Spec, class Loss, class Output, class Label, bool Enabled>
struct head_loss_fits {
  using check = std::conditional_t<Enabled, loss_fits<Loss, Output, Label>, passed>;
  static constexpr bool value = Enabled && check::value;
  struct report {
    // The rule is loss_fits's; this class's instantiation names the head and its output.
    static_assert(check::report::reported);
    static constexpr bool reported = true;
  };
};
}  // namespace diag

}  // namespace typenet
