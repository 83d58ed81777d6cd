// Model::freeze(name): every parameter whose state_dict name is the name or lies below it stays
// bitwise unchanged by training, the others move; an unknown name is an error listing the
// top-level names.
#include <catch2/catch.hpp>
#include <cstddef>
#include <random>
#include <stdexcept>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

// torchvision's layout in miniature: features (a Block with a BatchNorm), classifier.
using Net = tn::Sequential<
    tn::Input<1, 6, 6>,
    tn::Named<"features", tn::Block<tn::Conv2D<4, tn::Kernel<3>>, tn::BatchNorm, tn::ReLU,
                                    tn::Named<"head", tn::Conv2D<2, tn::Kernel<3>>>>>,
    tn::Flatten, tn::Named<"classifier", tn::Block<tn::Dense<6>, tn::ReLU, tn::Dense<3>>>>;

std::vector<float> values(tn::Parameter<float>& p) {
  return {p.value.data(), p.value.data() + p.size()};
}

// One SGD step on random data; returns each parameter's values before and after, by name.
struct Step {
  std::vector<std::string> names;
  std::vector<std::vector<float>> before, after;
};
Step train_one_step(tn::Model<Net>& model) {
  Step s;
  s.names = tn::state_dict_names<Net>();
  for (auto* p : model.all_parameters()) s.before.push_back(values(*p));
  tn::Tensor<float, tn::Shape<1, 6, 6>> x(8);
  x.set_batch(8);
  std::mt19937 rng(3);
  std::normal_distribution<float> n;
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = n(rng);
  std::vector<int> labels{0, 1, 2, 0, 1, 2, 0, 1};
  tn::optim::SGD sgd{{.lr = 0.1}};
  model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1);
  for (auto* p : model.all_parameters()) s.after.push_back(values(*p));
  return s;
}

}  // namespace

TEST_CASE("freeze(name) keeps exactly the named parameters", "[freeze]") {
  // The parameters (not the running statistics) in state_dict order.
  const std::vector<std::string> parameters{
      "features.0.weight",    "features.0.bias",    "features.1.weight",   "features.1.bias",
      "features.head.weight", "features.head.bias", "classifier.0.weight", "classifier.0.bias",
      "classifier.2.weight",  "classifier.2.bias"};

  SECTION("a top-level name freezes everything below it") {
    tn::Model<Net> model{tn::init::He{}, 1, 8};
    REQUIRE(model.all_parameters().size() == parameters.size());
    model.freeze("features");
    CHECK(model.parameters().size() == 4);
    const Step s = train_one_step(model);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      INFO(parameters[i]);
      if (i < 6)
        CHECK(s.after[i] == s.before[i]);  // bitwise
      else
        CHECK(s.after[i] != s.before[i]);
    }
    // The whole top-level layer is frozen: backward skips it.
    CHECK(model.network().frozen(0));
    CHECK(!model.network().frozen(2));
  }
  SECTION("a nested name, and a full tensor name") {
    tn::Model<Net> model{tn::init::He{}, 2, 8};
    model.freeze("features.head");
    model.freeze("classifier.2.weight");
    const Step s = train_one_step(model);
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      INFO(parameters[i]);
      const bool frozen = i == 4 || i == 5 || i == 8;
      if (frozen)
        CHECK(s.after[i] == s.before[i]);
      else
        CHECK(s.after[i] != s.before[i]);
    }
    // Part of each top-level layer still trains: no layer is skipped.
    CHECK(!model.network().frozen(0));
    CHECK(!model.network().frozen(2));
  }
  SECTION("a prefix is a whole name part: 'classifier.0' is not 'classifier.0x' nor 'class'") {
    tn::Model<Net> model{tn::init::He{}, 3, 8};
    model.freeze("classifier.0");
    CHECK(model.parameters().size() == parameters.size() - 2);
    REQUIRE_THROWS_AS(model.freeze("class"), std::invalid_argument);
  }
  SECTION("unfreezing by name trains the parameters again") {
    tn::Model<Net> model{tn::init::He{}, 4, 8};
    model.freeze("features");
    model.freeze("features.0", false);
    CHECK(model.parameters().size() == parameters.size() - 4);
    CHECK(!model.network().frozen(0));
    const Step s = train_one_step(model);
    CHECK(s.after[0] != s.before[0]);
    CHECK(s.after[2] == s.before[2]);
  }
}

TEST_CASE("freeze(name) of an unknown name lists the top-level names", "[freeze]") {
  tn::Model<Net> model{tn::init::He{}, 1, 8};
  REQUIRE_THROWS_WITH(model.freeze("backbone"),
                      Catch::Contains("\"backbone\"") &&
                          Catch::Contains("top-level names are features, classifier"));
  // Nothing was frozen by the failed call.
  CHECK(model.parameters().size() == model.all_parameters().size());
}

TEST_CASE("freeze(name) on a zoo model freezes torchvision's names", "[freeze]") {
  using R = tn::models::CifarResNet<1, 10, 1, 8>;
  tn::Model<R> model{tn::init::He{}, 1, 4};
  model.freeze("layer1");
  model.freeze("conv1");
  model.freeze("bn1");
  // layer1 holds one basic block: conv1, bn1, conv2, bn2 (2 + 2 + 2 + 2... tensors).
  std::size_t frozen = 0;
  for (const auto& name : tn::state_dict_names<R>())
    if ((name.starts_with("layer1.") || name.starts_with("conv1.") || name.starts_with("bn1.")) &&
        !name.ends_with("running_mean") && !name.ends_with("running_var") &&
        !name.ends_with("num_batches_tracked"))
      ++frozen;
  CHECK(frozen == 1 + 2 + 2 * 3);  // conv1 (no bias), bn1, the block's two convs and two bns
  CHECK(model.parameters().size() == model.all_parameters().size() - frozen);
  CHECK(model.network().frozen(0));
  CHECK(model.network().frozen(1));
  CHECK(!model.network().frozen(2));  // ReLU: no parameters, not named
}
