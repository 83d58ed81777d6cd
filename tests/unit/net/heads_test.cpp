// Heads<...> and loss::MultiTask: several outputs of one trunk, each with its own loss and weight.
#include <array>
#include <catch2/catch.hpp>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <typenet/typenet.hpp>
#include <vector>

#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

namespace {
// The lecture's multi-task example in small: a class and a box from one trunk.
using ClassAndBox = tn::Sequential<
    tn::Input<4>, tn::Dense<6>, tn::Tanh,
    tn::Heads<tn::Head<tn::Dense<3>, tn::loss::SoftmaxCrossEntropy>,
              tn::Head<tn::Block<tn::Dense<5>, tn::ReLU, tn::Dense<2>>, tn::loss::MSE>>>;
}  // namespace

static_assert(ClassAndBox::output_shape == Shape<3 + 2>{});
static_assert(ClassAndBox::parameter_count ==
              (4 * 6 + 6) + (6 * 3 + 3) + (6 * 5 + 5) + (5 * 2 + 2));
static_assert(ClassAndBox::layer<2>::output_shape == Shape<5>{});

TEST_CASE("Heads: each head's output in its place, gradients summed into the trunk",
          "[heads][gradient]") {
  tn::Network<ClassAndBox, double> net(2);
  tn::Tensor<double, Shape<4>> x(2);
  std::mt19937_64 rng(1);
  gradcheck::randomise(x, rng);
  const auto& y = net.forward(x);
  // Head 0's output is the Dense<3> applied to the trunk's output.
  const auto& trunk = net.output<1>();
  auto& dense = net.layer<2>().branch<0>().layer<0>();
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t j = 0; j < 3; ++j) {
      double z = dense.bias().value[j];
      for (std::size_t k = 0; k < 6; ++k) z += dense.weight().value[j * 6 + k] * trunk(n, k);
      CHECK(y(n, j) == Approx(z));
    }
  const auto head1 = tn::head_output<1, ClassAndBox>(y);
  CHECK(head1(1, 1) == y(1, 4));
  GRADCHECK_REQUIRE(gradcheck::check_network<ClassAndBox>(2));
}

namespace {
// dy, MultiTask's gradient in the network output y, against central differences of its loss.
template <class Task, class Y, class Labels>
void check_output_gradient(const Task& task, Y& y, const Labels& labels, const Y& dy) {
  gradcheck::Worst worst;
  gradcheck::compare(
      worst, y.data(), dy.data(), y.size(), [&] { return tn::loss::compute(task, y, labels); },
      "output");
  INFO("worst at " << worst.where << ": analytic " << worst.analytic << ", numeric "
                   << worst.numeric);
  CHECK(worst.error < gradcheck::tolerance);
}
}  // namespace

TEST_CASE("MultiTask: the weighted sum of the heads' losses, and its gradient", "[heads][loss]") {
  tn::Network<ClassAndBox, double> net(3);
  tn::Tensor<double, Shape<4>> x(3);
  std::mt19937_64 rng(2);
  gradcheck::randomise(x, rng);
  auto y = net.forward(x);
  const std::vector<int> classes{2, 0, 1};
  tn::Tensor<double, Shape<2>> boxes(3);
  gradcheck::randomise(boxes, rng);
  const auto labels = std::tuple{classes, boxes};
  const tn::loss::MultiTask<ClassAndBox> task{{1.0, 0.25}};
  tn::Tensor<double, Shape<5>> dy(3);
  const double total = tn::loss::compute(task, y, labels, &dy);
  const double expected =
      tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, tn::head_output<0, ClassAndBox>(y),
                        std::span<const int>(classes)) +
      0.25 * tn::loss::compute(tn::loss::MSE{}, tn::head_output<1, ClassAndBox>(y), boxes);
  CHECK(total == Approx(expected));
  check_output_gradient(task, y, labels, dy);
  // One weight per head (a wrong count does not compile: tests/compile_fail), all 1 unless given.
  CHECK(tn::loss::MultiTask<ClassAndBox>{}.weights == std::array<double, 2>{1.0, 1.0});
  CHECK(tn::loss::MultiTask<ClassAndBox>{1, 0.5f}.weights == std::array<double, 2>{1.0, 0.5});
  // A wrong batch of labels for one head is named by that head's loss.
  const std::vector<int> short_classes{1, 2};
  CHECK_THROWS_WITH(
      tn::loss::compute(task, y, std::tuple{short_classes, boxes}),
      Catch::Contains("SoftmaxCrossEntropy") && Catch::Contains("2 labels for a batch of 3"));
}

namespace {
// Three heads of one shape: MultiTask reuses one pair of per-thread buffers for all of them.
using ThreeOfAKind = tn::Sequential<
    tn::Input<4>, tn::Dense<6>, tn::Tanh,
    tn::Heads<tn::Head<tn::Dense<3>, tn::loss::SoftmaxCrossEntropy>,
              tn::Head<tn::Dense<3>, tn::loss::MSE>,
              tn::Head<tn::Block<tn::Dense<4>, tn::Tanh, tn::Dense<3>>, tn::loss::MSE>>>;
}  // namespace

TEST_CASE("MultiTask: heads of one shape keep their own losses and gradients", "[heads][loss]") {
  tn::Network<ThreeOfAKind, double> net(4);
  tn::Tensor<double, Shape<4>> x(4);
  std::mt19937_64 rng(3);
  gradcheck::randomise(x, rng);
  auto y = net.forward(x);
  const std::vector<int> classes{2, 0, 1, 1};
  tn::Tensor<double, Shape<3>> first(4), second(4);
  gradcheck::randomise(first, rng);
  gradcheck::randomise(second, rng);
  const auto labels = std::tuple{classes, first, second};
  const tn::loss::MultiTask<ThreeOfAKind> task{0.5, 2.0, 0.25};
  // The weighted sum, head by head, with each head's output copied out on its own.
  auto expected = [](const auto& out, const std::vector<int>& c, const auto& t1, const auto& t2) {
    return 0.5 * tn::loss::compute(tn::loss::SoftmaxCrossEntropy{},
                                   tn::head_output<0, ThreeOfAKind>(out), std::span<const int>(c)) +
           2.0 * tn::loss::compute(tn::loss::MSE{}, tn::head_output<1, ThreeOfAKind>(out), t1) +
           0.25 * tn::loss::compute(tn::loss::MSE{}, tn::head_output<2, ThreeOfAKind>(out), t2);
  };
  tn::Tensor<double, Shape<9>> dy(4);
  dy.fill(std::numeric_limits<double>::quiet_NaN());  // every entry must be written
  const double total = tn::loss::compute(task, y, labels, &dy);
  CHECK(total == Approx(expected(y, classes, first, second)));
  check_output_gradient(task, y, labels, dy);
  // A larger batch after a smaller one grows the shared buffers.
  tn::Network<ThreeOfAKind, double> wide(7);
  tn::Tensor<double, Shape<4>> x7(7);
  gradcheck::randomise(x7, rng);
  const auto& y7 = wide.forward(x7);
  const std::vector<int> classes7{0, 1, 2, 0, 1, 2, 0};
  tn::Tensor<double, Shape<3>> first7(7), second7(7);
  gradcheck::randomise(first7, rng);
  gradcheck::randomise(second7, rng);
  const double total7 = tn::loss::compute(task, y7, std::tuple{classes7, first7, second7});
  CHECK(total7 == Approx(expected(y7, classes7, first7, second7)));
}

TEST_CASE("A class + box network learns both tasks at once", "[heads][training]") {
  // The class is the quadrant of (x0, x1); the box is (x0 + x2, x1 - x3) / 2.
  constexpr std::size_t batch = 32;
  tn::Model<ClassAndBox> model{tn::init::Xavier{}, 3, batch};
  tn::optim::Adam adam{{.lr = 0.01}};
  tn::Tensor<float, Shape<4>> x(batch);
  tn::Tensor<float, Shape<2>> boxes(batch);
  std::vector<int> classes(batch);
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<float> u(-1, 1);
  const tn::loss::MultiTask<ClassAndBox> task{{1.0, 2.0}};
  auto draw = [&] {
    for (std::size_t n = 0; n < batch; ++n) {
      for (std::size_t i = 0; i < 4; ++i) x(n, i) = u(rng);
      classes[n] = x(n, 0) > 0 ? (x(n, 1) > 0 ? 0 : 1) : 2;
      boxes(n, 0) = (x(n, 0) + x(n, 2)) / 2;
      boxes(n, 1) = (x(n, 1) - x(n, 3)) / 2;
    }
  };
  auto losses = [&] {
    const auto& y = model.predict(x);
    return std::pair{
        tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, tn::head_output<0, ClassAndBox>(y),
                          std::span<const int>(classes)),
        tn::loss::compute(tn::loss::MSE{}, tn::head_output<1, ClassAndBox>(y), boxes)};
  };
  draw();
  const auto [class_before, box_before] = losses();
  for (std::size_t step = 0; step < 400; ++step) {
    draw();
    model.train_step(x, std::tuple{std::span<const int>(classes), boxes}, task, adam, 0.01, step);
  }
  draw();
  const auto [class_after, box_after] = losses();
  CHECK(class_after < 0.5 * class_before);
  CHECK(box_after < 0.25 * box_before);
}

TEST_CASE("The summary lists each head's layers under the Heads row", "[heads][summary]") {
  const auto s = tn::summary<ClassAndBox>();
  std::vector<std::string> indices;
  for (const auto& row : s.rows()) indices.push_back(row.index);
  const std::vector<std::string> expected{"",       "0",      "1",      "2",
                                          "2.h0.0", "2.h1.0", "2.h1.1", "2.h1.2"};
  CHECK(indices == expected);
  CHECK(s.parameter_count() == ClassAndBox::parameter_count);
}
