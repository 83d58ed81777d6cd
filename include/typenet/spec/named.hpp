// Named<"conv1", Spec>: the layer Spec under a name of its own, for its PyTorch state_dict names
// ("conv1.weight" instead of "0.weight"). Everything else is Spec's: shapes, parameters, MACs,
// forward and backward, fusion, the summary's row.
//
//   Sequential<Input<3, 224, 224>, Named<"conv1", Conv2D<64, Kernel<7>, Stride<2>, Pad<3>>>,
//              Named<"bn1", BatchNorm>, ReLU, ...>   // conv1.weight, bn1.running_var, ...
//
// Inline<Spec> adds no level at all: the names of Spec's own layers join its parent's namespace.
// That is how a type that nests deeper than its PyTorch twin gets the twin's names: torchvision's
// BasicBlock is one module whose children are conv1, bn1, conv2, bn2 and downsample, where
// typenet's block is Block<Residual<Block<conv, bn, relu, conv, bn>, Block<conv, bn>>, ReLU>:
//
//   Block<Inline<Residual<Inline<Block<Named<"conv1", ...>, Named<"bn1", BatchNorm>, ReLU,
//                                      Named<"conv2", ...>, Named<"bn2", BatchNorm>>>,
//                         Named<"downsample", Block<Conv2D<...>, BatchNorm>>>>,
//         ReLU>                                  // conv1.weight, ..., downsample.1.bias
//
// The naming rules, all in io/detail/state_dict.hpp and docs/persistence.md: a layer is named by
// its index in its chain unless it is Named; a Residual's paths are "branch." and "shortcut.", a
// Concat's, CropConcat's or Heads' branch B is "B.", unless the path is Named (then its name) or
// Inline (nothing).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace typenet {

// A string literal as a template argument (C++20): Named<"conv1", ...>.
template <std::size_t N>
struct FixedString {
  char text[N]{};
  constexpr FixedString() = default;
  constexpr FixedString(const char (&s)[N]) { std::copy_n(s, N, text); }  // NOLINT: implicit
  static constexpr std::size_t size = N - 1;
  constexpr std::string_view view() const { return {text, N - 1}; }
};
template <std::size_t N>
FixedString(const char (&)[N]) -> FixedString<N>;

template <FixedString Name, class Spec>
struct Named;

namespace detail {
template <class Spec>
struct unnamed {
  using type = Spec;
  static constexpr bool named = false;
};
template <FixedString Name, class Spec>
struct unnamed<Named<Name, Spec>> {
  using type = Spec;
  static constexpr bool named = true;
  static constexpr std::string_view name = Name.view();
};
// The spec without its name.
template <class Spec>
using unnamed_t = typename unnamed<Spec>::type;
template <class Spec>
inline constexpr bool is_named = unnamed<Spec>::named;

constexpr std::size_t decimal_digits(std::size_t k) {
  return k < 10 ? 1 : 1 + decimal_digits(k / 10);
}

// Prefix followed by the decimal digits of K: numbered<"denselayer", 12> is "denselayer12", for
// names that count (torchvision's DenseNet counts its layers from 1).
template <FixedString Prefix, std::size_t K>
constexpr auto numbered() {
  FixedString<Prefix.size + decimal_digits(K) + 1> out;
  std::copy_n(Prefix.text, Prefix.size, out.text);
  std::size_t k = K;
  for (std::size_t i = out.size; i > Prefix.size; --i, k /= 10)
    out.text[i - 1] = char('0' + k % 10);
  return out;
}
}  // namespace detail

template <FixedString Name, class Spec>
struct Named {
  static_assert(!detail::is_named<Spec>,
                "Named<Name, Spec> requires Spec not to be named already: give the layer one name");
  static_assert(Name.view().find('.') == std::string_view::npos,
                "Named<Name, Spec> requires a name without '.': nest the layer in a Block or "
                "Residual named for the outer part instead (state_dict names join the levels "
                "with '.')");
  using spec = Spec;
  static constexpr std::string_view name_text = Name.view();
  // Only so that Sequential recognises a layer spec; BoundLayer binds Spec itself.
  template <class In>
  using shapes = typename Spec::template shapes<In>;
  static std::string name() { return Spec::name(); }
};

// Spec adding no level to the state_dict names: its layers are named in its parent's namespace.
template <class Spec>
using Inline = Named<"", Spec>;

}  // namespace typenet
