// Weight files: PyTorch's state_dict names, save/load round trips, strict and non-strict loads.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <ratio>
#include <typenet/typenet.hpp>

namespace tn = typenet;
namespace fs = std::filesystem;

namespace {

using Small = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::BatchNorm,
                             tn::ReLU, tn::Flatten, tn::Dense<10>>;
// The same backbone with a 5-class head.
using SmallFive = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::BatchNorm,
                                 tn::ReLU, tn::Flatten, tn::Dense<5>>;
using Other =
    tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<16>, tn::ReLU, tn::Dense<10>>;
using Nested = tn::Sequential<
    tn::Input<2, 6, 6>, tn::Block<tn::Conv2D<2, tn::Kernel<3>, tn::Pad<1>>, tn::BatchNorm>,
    tn::Residual<tn::Block<tn::Conv2D<2, tn::Kernel<1>>, tn::ReLU>>,
    tn::Residual<tn::Conv2D<4, tn::Kernel<1>>, tn::Conv2D<4, tn::Kernel<1>, tn::Bias<false>>>,
    tn::Concat<tn::Conv2D<1, tn::Kernel<1>>, tn::Block<tn::ReLU, tn::Conv2D<3, tn::Kernel<1>>>>,
    tn::GlobalAvgPool, tn::Dense<3>>;

fs::path temp(const std::string& name) {
  return fs::temp_directory_path() / ("typenet-weights-" + std::to_string(::getpid()) + "-" + name);
}

template <class Model>
std::vector<double> all_state(Model& model) {
  std::vector<double> all;
  for (auto* p : model.all_parameters())
    for (std::size_t i = 0; i < p->size(); ++i) all.push_back(double(p->value[i]));
  for (auto* b : model.network().state_buffers())
    for (std::size_t i = 0; i < b->size(); ++i) all.push_back(double((*b)[i]));
  return all;
}

// A few training steps, so that weights and running statistics are not their initial values.
template <class Model>
void train_a_little(Model& model) {
  using T = typename Model::scalar;
  tn::Tensor<T, typename Model::input_type> x(4);
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = T(std::sin(double(i)));
  const std::vector<int> labels{0, 1, 2, 1};
  tn::optim::SGD sgd{{.lr = 0.1}};
  for (int s = 0; s < 3; ++s)
    model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1);
}

}  // namespace

TEST_CASE("state_dict names are nn.Sequential's", "[io][weights]") {
  CHECK(tn::state_dict_names<Small>() ==
        std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                                 "1.running_var", "1.num_batches_tracked", "4.weight", "4.bias"});
  CHECK(tn::state_dict_names<Nested>() ==
        std::vector<std::string>{"0.0.weight", "0.0.bias", "0.1.weight", "0.1.bias",
                                 "0.1.running_mean", "0.1.running_var", "0.1.num_batches_tracked",
                                 "1.branch.0.weight", "1.branch.0.bias", "2.branch.0.weight",
                                 "2.branch.0.bias", "2.shortcut.0.weight", "3.0.0.weight",
                                 "3.0.0.bias", "3.1.1.weight", "3.1.1.bias", "5.weight", "5.bias"});
}

TEST_CASE("save and load restore every parameter, running statistic and batch count bitwise",
          "[io][weights]") {
  const auto path = temp("small.safetensors");
  tn::Model<Small> trained{tn::init::He{}, 1, 4};
  train_a_little(trained);
  tn::save_weights(trained, path);
  tn::Model<Small> fresh{tn::init::He{}, 2, 4};
  REQUIRE(all_state(fresh) != all_state(trained));
  const auto report = tn::load_weights(fresh, path);
  CHECK(report.loaded == tn::state_dict_names<Small>());
  CHECK(report.missing.empty());
  CHECK(report.unexpected.empty());
  CHECK(all_state(fresh) == all_state(trained));
  CHECK(fresh.network().layer<1>().num_batches_tracked() == 3);
  // Predictions agree bitwise.
  tn::Tensor<float, tn::Shape<1, 8, 8>> x(2);
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i % 5) / 5;
  const auto a = trained.predict(x);
  const auto b = fresh.predict(x);
  CHECK(std::equal(a.data(), a.data() + a.size(), b.data()));
  // The metadata describes the network.
  const auto file = tn::io::Safetensors::read(path);
  CHECK(file.metadata().at("format") == "pt");
  CHECK(file.metadata().at("typenet.network").rfind("Input 1x8x8 -> Conv2D", 0) == 0);
  CHECK(file.find("0.weight")->dtype == tn::io::DType::F32);
  CHECK(file.find("1.num_batches_tracked")->dtype == tn::io::DType::I64);
  // User metadata rides along; typenet's own keys are reserved.
  tn::save_weights(trained, path, {{"normalizer.mean", "0.286"}});
  CHECK(tn::io::Safetensors::read(path).metadata().at("normalizer.mean") == "0.286");
  REQUIRE_THROWS_WITH(tn::save_weights(trained, path, {{"typenet.network", "x"}}),
                      "save_weights: the metadata key 'typenet.network' is typenet's own "
                      "(\"format\" and \"typenet.*\")");
  fs::remove(path);
}

TEST_CASE("Nested topologies and double networks round-trip, F64 files load into float",
          "[io][weights]") {
  const auto path = temp("nested.safetensors");
  tn::Model<Nested, double> trained{tn::init::He{}, 3, 4};
  train_a_little(trained);
  tn::save_weights(trained.network(), path);
  CHECK(tn::io::Safetensors::read(path).find("3.1.1.weight")->dtype == tn::io::DType::F64);
  tn::Model<Nested, double> same{tn::init::He{}, 4, 4};
  tn::load_weights(same.network(), path);
  CHECK(all_state(same) == all_state(trained));
  tn::Model<Nested, float> single{tn::init::He{}, 4, 4};
  tn::load_weights(single, path);
  const auto want = all_state(trained);
  const auto got = all_state(single);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == double(float(want[i])));
  fs::remove(path);
}

TEST_CASE(
    "A strict load of another network's file names the tensor, shapes and both networks, "
    "and changes nothing",
    "[io][weights]") {
  const auto path = temp("other.safetensors");
  tn::Model<Other> other{tn::init::He{}, 1, 4};
  tn::save_weights(other, path);
  tn::Model<Small> model{tn::init::He{}, 1, 4};
  const auto before = all_state(model);
  REQUIRE_THROWS_WITH(
      tn::load_weights(model, path),
      Catch::StartsWith(path.string() + ": does not fit the network: tensor '1.weight' is [16, "
                                        "64] F32 in the file, the network expects [4] (7 "
                                        "missing, 2 unexpected, 2 of another shape or dtype)") &&
          Catch::Contains("; this file holds the network Input 1x8x8 -> Flatten -> Dense(16) -> "
                          "ReLU -> Dense(10) (1210 parameters), this one is Input 1x8x8 -> "
                          "Conv2D(4, 3x3) -> BatchNorm -> ReLU -> Flatten -> Dense(10) (1498 "
                          "parameters)") &&
          Catch::Contains("{.strict = false}"));
  CHECK(all_state(model) == before);
  // A head of another size: strict refuses, non-strict loads the backbone and reports the head.
  tn::Model<SmallFive> five{tn::init::He{}, 5, 4};
  train_a_little(five);
  tn::save_weights(five, path);
  REQUIRE_THROWS_WITH(
      tn::load_weights(model, path),
      Catch::Contains("tensor '4.weight' is [5, 144] F32 in the file, the network "
                      "expects [10, 144]") &&
          Catch::Contains("(0 missing, 0 unexpected, 2 of another shape or dtype)"));
  const auto report = tn::load_weights(model, path, {.strict = false});
  CHECK(report.mismatched == std::vector<std::string>{"4.weight", "4.bias"});
  CHECK(report.loaded.size() == 7);
  CHECK(model.network().layer<1>().num_batches_tracked() == 3);
  CHECK(model.network().layer<0>().parameters()[0].value[0] ==
        five.network().layer<0>().parameters()[0].value[0]);
  fs::remove(path);
}

TEST_CASE("Missing and unexpected tensors are named", "[io][weights]") {
  const auto path = temp("partial.safetensors");
  const std::vector<float> w(40, 0.5f);
  tn::io::write_safetensors(
      path,
      std::vector<tn::io::TensorView>{
          {"0.weight", tn::io::DType::F32, {4, 1, 3, 3}, std::as_bytes(std::span(w)).first(144)},
          {"extra", tn::io::DType::F32, {2}, std::as_bytes(std::span(w)).first(8)}});
  tn::Model<Small> model{tn::init::He{}, 1, 4};
  REQUIRE_THROWS_WITH(tn::load_weights(model, path),
                      Catch::Contains("tensor '0.bias' is missing (8 missing, 1 unexpected, 0 of "
                                      "another shape or dtype)"));
  const auto report = tn::load_weights(model, path, {.strict = false});
  CHECK(report.loaded == std::vector<std::string>{"0.weight"});
  CHECK(report.unexpected == std::vector<std::string>{"extra"});
  CHECK(report.missing.size() == 8);
  CHECK(model.network().layer<0>().parameters()[0].value[8] == 0.5f);
  fs::remove(path);
}

TEST_CASE(
    "NaN, infinite, out-of-range weights and negative variances are refused before any "
    "change",
    "[io][weights]") {
  const auto path = temp("nonfinite.safetensors");
  tn::Model<Small> source{tn::init::He{}, 1, 4};
  tn::Model<Small> model{tn::init::He{}, 2, 4};
  const auto before = all_state(model);
  const auto refuses = [&](auto change, const std::string& message) {
    tn::Model<Small> bad{tn::init::He{}, 1, 4};
    change(bad);
    tn::save_weights(bad, path);
    REQUIRE_THROWS_WITH(tn::load_weights(model, path, {.strict = false}), message);
    CHECK(all_state(model) == before);
  };
  refuses([](auto& m) { m.network().template layer<4>().parameters()[1].value[3] = NAN; },
          path.string() +
              ": tensor '4.bias' holds a value that is NaN, infinite or beyond the "
              "network's scalar type at element 3; nothing was loaded");
  refuses([](auto& m) { m.network().template layer<0>().parameters()[0].value[0] = -INFINITY; },
          path.string() +
              ": tensor '0.weight' holds a value that is NaN, infinite or beyond the "
              "network's scalar type at element 0; nothing was loaded");
  refuses([](auto& m) { m.network().template layer<1>().running_var()[2] = -0.5f; },
          path.string() +
              ": tensor '1.running_var' holds a negative variance at element 2; "
              "nothing was loaded");
  // An F64 value beyond float's range does not fit a float network; it does fit a double one.
  tn::Model<Small, double> wide{tn::init::He{}, 1, 4};
  wide.network().layer<0>().parameters()[1].value[1] = 1e300;
  tn::save_weights(wide, path);
  REQUIRE_THROWS_WITH(tn::load_weights(model, path),
                      Catch::Contains("tensor '0.bias' holds a value that is NaN, infinite or "
                                      "beyond the network's scalar type at element 1"));
  tn::Model<Small, double> wide_again{tn::init::He{}, 5, 4};
  CHECK_NOTHROW(tn::load_weights(wide_again, path));
  CHECK(all_state(model) == before);
  (void)source;
  fs::remove(path);
}
