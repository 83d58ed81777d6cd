// Loss specs: what each loss is and which labels it takes, and the compile-time check that a
// loss fits the network's output and the labels of the data (the losses' arithmetic is in
// loss/loss.hpp).
//
// A label is either tn::ClassIndex (one integer class per sample, for the classification
// losses) or a tn::Shape<...> target of the same shape as the output (regression, binary and
// soft-label losses). tn::loss::bind<Loss, Net, Label> checks the pair; training uses it.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <tuple>
#include <type_traits>

#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"

namespace typenet {

// A label that is the index of the true class, 0 <= label < number of outputs.
struct ClassIndex {};

namespace loss {

namespace detail {
// Which labels a loss takes.
enum class Labels { same_shape_target, class_index, class_index_or_target };
}  // namespace detail

// Mean squared error.
struct MSE {
  static constexpr detail::Labels labels = detail::Labels::same_shape_target;
};
// Mean absolute error.
struct L1 {
  static constexpr detail::Labels labels = detail::Labels::same_shape_target;
};
// Binary cross-entropy on probabilities, and on logits (the stable form).
struct BinaryCrossEntropy {
  static constexpr detail::Labels labels = detail::Labels::same_shape_target;
};
struct BinaryCrossEntropyWithLogits {
  static constexpr detail::Labels labels = detail::Labels::same_shape_target;
};
// Softmax cross-entropy on logits; labels are class indices or a distribution over classes.
struct SoftmaxCrossEntropy {
  static constexpr detail::Labels labels = detail::Labels::class_index_or_target;
};
// Negative log-likelihood of log-probabilities.
struct NLL {
  static constexpr detail::Labels labels = detail::Labels::class_index;
};
// Multiclass SVM loss: sum over j != y of max(0, s_j - s_y + 1).
struct Hinge {
  static constexpr detail::Labels labels = detail::Labels::class_index;
};

// Several heads' losses at once (loss/multitask.hpp); its labels are a tuple, one per head.
template <class Net>
struct MultiTask;

}  // namespace loss

namespace diag {

template <class Loss, class Output, class Label>
struct loss_fits {
  static constexpr bool value = false;
  struct report {
    static_assert(sizeof(Label) == 0,
                  "a label is tn::ClassIndex (one integer class per sample) or a tn::Shape<...> "
                  "target; see the label type after output<...>");
    static constexpr bool reported = true;
  };
};

template <class Loss, std::size_t... Out>
struct loss_fits<Loss, output<Out...>, ClassIndex> {
  static constexpr bool takes_index = Loss::labels != loss::detail::Labels::same_shape_target;
  static constexpr bool scores = sizeof...(Out) == 1 && Shape<Out...>::size >= 2;
  static constexpr bool sequence = sizeof...(Out) == 2;
  static constexpr bool value = takes_index && scores;
  struct report {
    static_assert(takes_index,
                  "this loss (MSE, L1, binary cross-entropy) compares outputs element by element "
                  "and requires a tn::Shape<...> target of the output's shape as label, not "
                  "tn::ClassIndex");
    static_assert(!takes_index || !sequence,
                  "a loss on tn::ClassIndex labels requires one score vector per sample, and this "
                  "output is Steps x N (the last recurrent layer has tn::ReturnSequences): drop "
                  "ReturnSequences to classify the whole sequence from its last state, or give "
                  "per-step targets tn::Shape<Steps, N>");
    static_assert(!takes_index || sequence || scores,
                  "a loss on tn::ClassIndex labels requires a 1-D output of N >= 2 class "
                  "scores; end the network with Flatten and Dense<N> (N = number of classes)");
    static constexpr bool reported = true;
  };
};

template <class Loss, std::size_t... Out, std::size_t... Target>
struct loss_fits<Loss, output<Out...>, Shape<Target...>> {
  static constexpr bool takes_target = Loss::labels != loss::detail::Labels::class_index;
  static constexpr bool same = Shape<Out...>{} == Shape<Target...>{};
  // Per-step targets for a network that returns one vector: its recurrent layer lacks
  // ReturnSequences.
  static constexpr bool steps_lost = sizeof...(Target) == 2 && sizeof...(Out) == 1;
  static constexpr bool value = takes_target && same;
  struct report {
    static_assert(takes_target,
                  "this loss (NLL, Hinge) requires tn::ClassIndex labels (one integer class per "
                  "sample), not a tn::Shape<...> target");
    static_assert(!takes_target || !steps_lost,
                  "the label is a Steps x N sequence and the output one vector per sample: give "
                  "the last recurrent layer tn::ReturnSequences and apply the layers after it at "
                  "every step (tn::TimeDistributed<tn::Dense<N>>)");
    static_assert(!takes_target || steps_lost || same,
                  "the label shape must equal the network's output shape: see output<...> and "
                  "the label tn::Shape<...>; change the last layer or the labels");
    static constexpr bool reported = true;
  };
};

// MultiTask's labels, a tuple with one per head: Heads<...> checked each head's loss against its
// declared label kind when the network was bound; the tuple's entries meet each head's own
// compute() overloads (and their checks) when MultiTask's compute runs.
template <class Net, class Output, class... Labels>
struct loss_fits<loss::MultiTask<Net>, Output, std::tuple<Labels...>> {
  static constexpr bool value = true;
  struct report {
    static constexpr bool reported = true;
  };
};

}  // namespace diag

namespace loss {

namespace detail {
// Stays silent when the network itself already failed to bind.
template <class Loss, class Output, class Label>
struct loss_check {
  static constexpr bool value = false;
};
template <class Loss, std::size_t... D, class Label>
struct loss_check<Loss, Shape<D...>, Label> {
  using check = diag::loss_fits<Loss, diag::output<D...>, Label>;
  static_assert(check::report::reported);
  static constexpr bool value = check::value;
};
}  // namespace detail

template <class Loss, class Net, class Label>
struct bind {
  using output_type = typename Net::output_type;
  using label_type = Label;
  static constexpr bool ok = detail::loss_check<Loss, output_type, Label>::value;
};

}  // namespace loss
}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
