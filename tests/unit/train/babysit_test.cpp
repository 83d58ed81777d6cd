// Babysitting the learning process: the loss at initialisation, overfitting a small subset.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>
#include "flat_weights.hpp"

namespace tn = typenet;

namespace {

using LeNet5 = tn::models::LeNet5<>;
using Mlp =
    tn::Sequential<tn::Input<1, 32, 32>, tn::Flatten, tn::Dense<100>, tn::ReLU, tn::Dense<10>>;

// The first `count` training images of the real Fashion-MNIST, padded to 32x32 and normalised.
tn::data::Dataset fashion(std::size_t count) {
  if (!std::filesystem::exists(tn::data::fashion_mnist_directory))
    FAIL("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (scripts/setup)");
  auto data = tn::data::pad(tn::data::fashion_mnist().train.head(count), 2);
  tn::data::Normalizer::fit(data).apply(data);
  return data;
}

using train_test::weights;

// The last weight tensor: the classifier's.
template <class Net>
tn::Parameter<float>& last_weight(tn::Model<Net>& model) {
  tn::Parameter<float>* last = nullptr;
  for (auto* p : model.all_parameters())
    if (p->kind == tn::ParameterKind::weight) last = p;
  return *last;
}

std::string three_decimals(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", v);
  return text;
}

}  // namespace

TEST_CASE(
    "check_initial_loss: Xavier-initialised LeNet-5 and MLP start near ln(10), He's "
    "LeNet-5 does not",
    "[babysit][fashion-mnist]") {
  const auto data = fashion(1000);
  std::ostringstream warnings;
  tn::Model<LeNet5> lenet{tn::init::XavierUniform{}, 1, 128};
  const auto a = tn::check_initial_loss(lenet, data, {.warnings = &warnings});
  tn::Model<Mlp> mlp{tn::init::XavierUniform{}, 2, 128};
  const auto b = tn::check_initial_loss(mlp, data, {.warnings = &warnings});
  // He et al.'s gain keeps the variance through convolutions and ReLUs, but each max pooling
  // raises it: LeNet-5 with He in every layer starts confident and wrong.
  tn::Model<LeNet5> he{tn::init::He{}, 1, 128};
  std::ostringstream he_warnings;
  const auto c = tn::check_initial_loss(he, data, {.warnings = &he_warnings});
  WARN("measured: " << a.loss << " (LeNet-5, Xavier), " << b.loss << " (MLP, Xavier), " << c.loss
                    << " (LeNet-5, He)");
  CHECK_FALSE(c.ok);
  CHECK(he_warnings.str().find("too high") != std::string::npos);
  INFO(a << "\n" << b);
  CHECK(a.expected == Approx(std::log(10.0)));
  CHECK(a.samples == 1000);
  CHECK(a.classes == 10);
  CHECK(a.ok);
  CHECK(b.ok);
  CHECK(std::abs(a.loss - a.expected) <= a.tolerance);
  CHECK(warnings.str().empty());  // nothing to tell
}

TEST_CASE("check_initial_loss: a last layer scaled up or a large bias fails, with numbers",
          "[babysit][fashion-mnist]") {
  const auto data = fashion(500);
  tn::Model<Mlp> model{tn::init::He{}, 3, 128};
  auto& w = last_weight(model);
  SECTION("weights x 10") {
    for (std::size_t i = 0; i < w.size(); ++i) w.value[i] *= 10;
  }
  SECTION("a bias of 20 on class 0") {
    auto* bias = model.all_parameters().back();
    REQUIRE(bias->kind == tn::ParameterKind::bias);
    bias->value[0] = 20;
  }
  std::ostringstream warnings;
  const auto report = tn::check_initial_loss(model, data, {.warnings = &warnings});
  INFO(report);
  CHECK_FALSE(report.ok);
  CHECK(report.loss > report.expected + report.tolerance);
  const std::string told = warnings.str();
  CHECK(told.find(three_decimals(report.loss)) != std::string::npos);
  CHECK(told.find("ln(10) = 2.303") != std::string::npos);
  CHECK(told.find("too high") != std::string::npos);
  CHECK(told.find("500 samples") != std::string::npos);
}

TEST_CASE("overfit_small_subset: an MLP and LeNet-5 learn 20 samples by heart, and are put back",
          "[babysit][fashion-mnist]") {
  const auto data = fashion(100);
  std::ostringstream warnings;
  tn::Model<Mlp> mlp{tn::init::He{}, 4, 64};
  const auto before = weights(mlp);
  const auto report =
      tn::overfit_small_subset(mlp, data, 20, tn::optim::Adam{}, {.warnings = &warnings});
  INFO(report);
  CHECK(report.reached);
  CHECK(report.samples == 20);
  CHECK(report.accuracy == 1.0);
  CHECK(report.last_loss < report.first_loss);
  CHECK(report.epochs < 200);
  CHECK(weights(mlp) == before);  // restored
  CHECK(warnings.str().empty());

  tn::Model<LeNet5> lenet{tn::init::He{}, 5, 64};
  const auto lenet_report = tn::overfit_small_subset(lenet, data, 20);
  INFO(lenet_report);
  CHECK(lenet_report.reached);
}

TEST_CASE("overfit_small_subset: a learning rate of 0 or a frozen network cannot, and says so",
          "[babysit][fashion-mnist]") {
  const auto data = fashion(100);
  tn::Model<Mlp> model{tn::init::He{}, 6, 64};
  std::ostringstream warnings;
  tn::OverfitReport report;
  SECTION("learning rate 0") {
    report = tn::overfit_small_subset(model, data, 20, tn::optim::SGD{{.lr = 0}},
                                      {.max_epochs = 30, .warnings = &warnings});
  }
  SECTION("every layer frozen") {
    model.freeze_until(Mlp::depth);
    report = tn::overfit_small_subset(model, data, 20, tn::optim::Adam{},
                                      {.max_epochs = 30, .warnings = &warnings});
  }
  INFO(report);
  CHECK_FALSE(report.reached);
  CHECK(report.epochs == 30);
  CHECK(report.accuracy < 1.0);
  CHECK(report.last_loss == Approx(report.first_loss));  // nothing moved
  const std::string told = warnings.str();
  CHECK(told.find("overfit_small_subset: 20 samples, only") != std::string::npos);
  CHECK(told.find("after 30 epochs") != std::string::npos);
}

TEST_CASE(
    "overfit_small_subset with restore = false keeps the overfitted model, whose loss "
    "check_initial_loss then finds far too low",
    "[babysit][fashion-mnist]") {
  const auto data = fashion(100);
  tn::Model<Mlp> model{tn::init::He{}, 7, 64};
  const auto before = weights(model);
  const auto report = tn::overfit_small_subset(model, data, 20, tn::optim::Adam{{.lr = 3e-3}},
                                               {.max_epochs = 300, .restore = false});
  REQUIRE(report.reached);
  CHECK(weights(model) != before);
  std::ostringstream warnings;
  const auto initial = tn::check_initial_loss(model, data.head(20), {.warnings = &warnings});
  INFO(initial);
  CHECK_FALSE(initial.ok);
  CHECK(initial.loss < initial.expected - initial.tolerance);
  CHECK(warnings.str().find("too low") != std::string::npos);
}

TEST_CASE("overfit_small_subset refuses n = 0 and a dataset of another shape", "[babysit]") {
  tn::Model<Mlp> model{tn::init::He{}, 8, 16};
  auto data =
      tn::data::Dataset::from_arrays(std::vector<float>(2 * 28 * 28, 0.5f), {0, 1}, 1, 28, 28, 10);
  CHECK_THROWS_WITH(tn::overfit_small_subset(model, data, 0), Catch::Contains("n is 0"));
  CHECK_THROWS_WITH(tn::overfit_small_subset(model, data, 2),
                    Catch::Contains("overfit_small_subset: the dataset's samples are 1x28x28"));
}
