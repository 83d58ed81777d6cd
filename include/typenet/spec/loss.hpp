// Loss specs: what each loss is and which labels it takes, and the compile-time check that a
// loss fits the network's output and the labels of the data (the losses' arithmetic is in
// loss/loss.hpp).
//
// A label is tn::ClassIndex (one integer class per sample, for the classification losses),
// tn::ClassMask<H, W> (one integer class per pixel, for segmentation: an output of C x H x W
// class scores) or a tn::Shape<...> target of the same shape as the output (regression, binary
// and soft-label losses, binary masks). tn::loss::bind<Loss, Net, Label> checks the pair;
// training uses it.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"

namespace typenet {

// A label that is the index of the true class, 0 <= label < number of outputs.
struct ClassIndex {};

// Segmentation labels: one class index per pixel of an H x W mask (PyTorch's N x H x W target of
// CrossEntropyLoss), for an output of C x H x W class scores; 0 <= class < C, or the loss's
// ignore_index. As a label type (tn::loss::bind, tn::Head) only H and W count; at run time it
// views `classes`, batch x H x W integers, sample after sample, row-major (not owned).
template <std::size_t H, std::size_t W>
struct ClassMask {
  static constexpr std::size_t height = H, width = W;
  std::span<const int> classes{};

  ClassMask() = default;
  ClassMask(std::span<const int> classes_) : classes(classes_) {}  // implicit, as std::span is
  // A temporary container (tn::ClassMask<H, W>{std::vector<int>{...}}) would be destroyed at the
  // end of the statement and leave the mask dangling: refused at compile time. A temporary
  // std::span is fine, it views storage that lives elsewhere.
  template <class Container>
  requires(!std::is_reference_v<Container> && requires(Container & c) { c.data(), c.size(); })
      ClassMask(Container&&) {
    static_assert(sizeof(Container) == 0,
                  "tn::ClassMask<H, W> views its class indices and does not own them: this "
                  "temporary container is destroyed at the end of the statement; keep it in a "
                  "named variable and make the mask from that");
  }
};

namespace loss {

namespace detail {
// Which labels a loss takes.
enum class Labels { same_shape_target, class_index, class_index_or_target };
// ... and whether it also takes one class per pixel (tn::ClassMask).
template <class Loss>
inline constexpr bool takes_class_mask = false;
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
// One weight per class, shared (not copied) by the copies of a loss: a training step takes its
// loss by value and must not allocate.
class ClassWeights {
 public:
  ClassWeights() = default;
  ClassWeights(std::initializer_list<double> weights)
      : weights_(std::make_shared<const std::vector<double>>(weights)) {}
  explicit ClassWeights(std::vector<double> weights)
      : weights_(std::make_shared<const std::vector<double>>(std::move(weights))) {}
  bool empty() const { return weights_ == nullptr; }
  std::span<const double> values() const {
    return weights_ ? std::span<const double>(*weights_) : std::span<const double>();
  }

 private:
  std::shared_ptr<const std::vector<double>> weights_;
};

// Softmax cross-entropy on logits (PyTorch's CrossEntropyLoss): labels are class indices, a
// distribution over classes, or a tn::ClassMask<H, W> for a C x H x W output (softmax over the
// channel axis at each pixel). With class labels, as PyTorch: a label equal to ignore_index
// adds nothing; `weight` (one per class, empty: all 1) scales each label's term, and the mean
// is sum_i w[y_i] l_i / sum_i w[y_i] over the labels not ignored. (Soft targets ignore both.)
struct SoftmaxCrossEntropy {
  static constexpr detail::Labels labels = detail::Labels::class_index_or_target;
  ClassWeights weight{};
  int ignore_index = -100;
};
// Negative log-likelihood of log-probabilities.
struct NLL {
  static constexpr detail::Labels labels = detail::Labels::class_index;
};
// Multiclass SVM loss: sum over j != y of max(0, s_j - s_y + 1).
struct Hinge {
  static constexpr detail::Labels labels = detail::Labels::class_index;
};

// Soft Dice loss, 1 - mean over samples and channels of (2 sum_p p g + smooth) / (sum_p p +
// sum_p g + smooth) over the pixels p of one channel of one sample (Milletari et al. 2016,
// "V-Net", with the plain sums of MONAI's DiceLoss(squared_pred=False, batch=False) and its
// smooth_nr = smooth_dr = smooth). With tn::ClassMask labels: p = softmax over channels, g the
// one-hot mask (multi-class, MONAI's softmax=True, to_onehot_y=True). With a target tensor of
// the output's shape: p = sigmoid of each logit, g the target (binary, a 1 x H x W mask;
// MONAI's sigmoid=True).
struct Dice {
  static constexpr detail::Labels labels = detail::Labels::same_shape_target;
  double smooth = 1e-5;
};

namespace detail {
template <>
inline constexpr bool takes_class_mask<SoftmaxCrossEntropy> = true;
template <>
inline constexpr bool takes_class_mask<Dice> = true;
}  // namespace detail

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
                  "a label is tn::ClassIndex (one integer class per sample), tn::ClassMask<H, W> "
                  "(one per pixel) or a tn::Shape<...> target; see the label type after "
                  "output<...>");
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
    static_assert(
        takes_index,
        "this loss (MSE, L1, binary cross-entropy, Dice) compares outputs element by "
        "element and requires a tn::Shape<...> target of the output's shape as label, not "
        "tn::ClassIndex");
    static_assert(!takes_index || !sequence,
                  "a loss on tn::ClassIndex labels requires one score vector per sample, and this "
                  "output is Steps x N (the last recurrent layer has tn::ReturnSequences): drop "
                  "ReturnSequences to classify the whole sequence from its last state, or give "
                  "per-step targets tn::Shape<Steps, N>");
    static_assert(!takes_index || sequence || scores,
                  "a loss on tn::ClassIndex labels requires a 1-D output of N >= 2 class "
                  "scores; end the network with Flatten and Dense<N> (N = number of classes), "
                  "or label each pixel of a C x H x W output with tn::ClassMask<H, W>");
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

template <class Loss, std::size_t... Out, std::size_t H, std::size_t W>
struct loss_fits<Loss, output<Out...>, ClassMask<H, W>> {
  static constexpr bool takes_mask = loss::detail::takes_class_mask<Loss>;
  static constexpr bool scores = sizeof...(Out) == 3 && Shape<Out...>::dims[0] >= 2;
  static constexpr bool same = scores && Shape<Out...>::dims[1] == H && Shape<Out...>::dims[2] == W;
  static constexpr bool value = takes_mask && same;
  struct report {
    static_assert(takes_mask,
                  "this loss takes no tn::ClassMask<H, W> labels (one class per pixel): those "
                  "go with SoftmaxCrossEntropy or Dice; a binary mask of a 1 x H x W output is "
                  "a tn::Shape<1, H, W> target (BinaryCrossEntropyWithLogits, Dice)");
    static_assert(!takes_mask || scores,
                  "a loss on tn::ClassMask<H, W> labels requires an output of C x H x W class "
                  "scores, C >= 2 (softmax over the channels at each pixel); see output<...>");
    static_assert(!takes_mask || !scores || same,
                  "tn::ClassMask<H, W> labels must have the height and width of the output "
                  "C x H x W: see output<...> and ClassMask<...>; pad the convolutions "
                  "(tn::Pad) or change the mask size");
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
