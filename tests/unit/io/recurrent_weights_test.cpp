// Weight files of recurrent networks: PyTorch's nn.LSTM/nn.GRU/nn.RNN parameter names
// (weight_ih_l0, ..., _reverse) under each layer's index, and a bitwise save/load round trip.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <span>
#include <typenet/typenet.hpp>

namespace tn = typenet;
namespace fs = std::filesystem;

namespace {
using Recurrent =
    tn::Sequential<tn::Input<5, 3>, tn::LSTM<4, tn::Bidirectional, tn::ReturnSequences>,
                   tn::GRU<3, tn::Bias<false>>, tn::Dense<2>>;
using Other = tn::Sequential<tn::Input<5, 3>, tn::SimpleRNN<6, tn::ReLU>, tn::Dense<2>>;

template <class Model>
std::vector<float> all_values(Model& model) {
  std::vector<float> all;
  for (auto* p : model.all_parameters())
    all.insert(all.end(), p->value.data(), p->value.data() + p->size());
  return all;
}
}  // namespace

TEST_CASE("Recurrent layers' state_dict names are PyTorch's", "[io][weights][recurrent]") {
  CHECK(tn::state_dict_names<Recurrent>() ==
        std::vector<std::string>{"0.weight_ih_l0", "0.weight_hh_l0", "0.bias_ih_l0", "0.bias_hh_l0",
                                 "0.weight_ih_l0_reverse", "0.weight_hh_l0_reverse",
                                 "0.bias_ih_l0_reverse", "0.bias_hh_l0_reverse", "1.weight_ih_l0",
                                 "1.weight_hh_l0", "2.weight", "2.bias"});
  CHECK(tn::state_dict_names<Other>() ==
        std::vector<std::string>{"0.weight_ih_l0", "0.weight_hh_l0", "0.bias_ih_l0", "0.bias_hh_l0",
                                 "1.weight", "1.bias"});
  using PerStep = tn::Sequential<tn::Input<4, 2>, tn::GRU<3, tn::ReturnSequences>,
                                 tn::TimeDistributed<tn::Dense<2>>>;
  CHECK(tn::state_dict_names<PerStep>() ==
        std::vector<std::string>{"0.weight_ih_l0", "0.weight_hh_l0", "0.bias_ih_l0", "0.bias_hh_l0",
                                 "1.weight", "1.bias"});
}

TEST_CASE("A trained recurrent network's weights round-trip bitwise", "[io][weights][recurrent]") {
  const auto path = fs::temp_directory_path() /
                    ("typenet-recurrent-" + std::to_string(::getpid()) + ".safetensors");
  tn::Model<Recurrent> trained{tn::init::Xavier{}, 1, 4};
  tn::Tensor<float, tn::Shape<5, 3>> x(4);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(std::sin(double(i)));
  const std::vector<int> labels{0, 1, 1, 0};
  tn::optim::Adam adam;
  for (std::size_t s = 0; s < 3; ++s)
    trained.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, adam, 0.01,
                       s);
  tn::save_weights(trained, path);
  tn::Model<Recurrent> fresh{tn::init::Xavier{}, 2, 4};
  REQUIRE(all_values(fresh) != all_values(trained));
  const auto report = tn::load_weights(fresh, path);
  CHECK(report.missing.empty());
  CHECK(report.unexpected.empty());
  CHECK(all_values(fresh) == all_values(trained));
  const auto a = trained.predict(x);
  const auto b = fresh.predict(x);
  CHECK(std::equal(a.data(), a.data() + a.size(), b.data()));
  // Another network's file is refused, naming what differs.
  tn::Model<Other> other{tn::init::Xavier{}, 1, 4};
  CHECK_THROWS(tn::load_weights(other, path));
  fs::remove(path);
}
