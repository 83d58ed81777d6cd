// Weights move between PyTorch and typenet unchanged: tools/torch_interop.py exports a seeded
// nn.Sequential (weights, running statistics, an input and its eval output) that typenet loads
// and reproduces; typenet's trained weights load strictly into PyTorch, which reproduces
// typenet's output. Needs /usr/bin/python3 with python3-torch (scripts/setup installs it).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <typenet/typenet.hpp>

namespace tn = typenet;
namespace fs = std::filesystem;

namespace {

using SmallBN = tn::Sequential<tn::Input<3, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>,
                               tn::BatchNorm, tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>,
                               tn::Conv2D<8, tn::Kernel<3>>, tn::BatchNorm, tn::ReLU, tn::Flatten,
                               tn::Dense<16>, tn::ReLU, tn::Dense<5>>;

int interop(const std::string& mode, const std::string& model, const fs::path& weights,
            const fs::path& io) {
  const std::string command = "/usr/bin/python3 " TYPENET_SOURCE_DIR "/tools/torch_interop.py " +
                              mode + " " + model + " " + weights.string() + " " + io.string();
  return std::system(command.c_str());
}

void require_torch() {
  if (std::system("/usr/bin/python3 -c 'import torch' 2>/dev/null") != 0)
    FAIL("PyTorch is not installed: apt-get install python3-torch (scripts/setup does)");
}

fs::path temp(const std::string& name) {
  return fs::temp_directory_path() / ("typenet-torch-" + std::to_string(::getpid()) + "-" + name);
}

template <class Net>
void pytorch_to_typenet(const std::string& name, std::size_t batch) {
  require_torch();
  const auto weights = temp(name + ".safetensors"), io = temp(name + "-io.safetensors");
  REQUIRE(interop("export", name, weights, io) == 0);
  tn::Model<Net> model{tn::init::He{}, 1, batch};
  const auto report = tn::load_weights(model, weights);  // strict: every name and shape agrees
  CHECK(report.loaded.size() == tn::state_dict_names<Net>().size());
  const auto file = tn::io::Safetensors::read(io);
  tn::Tensor<float, typename Net::input_type> x(batch);
  file.copy_to(*file.find("input"), x.span());
  std::vector<float> want(batch * Net::output_type::size);
  file.copy_to(*file.find("output"), std::span<float>(want));
  const auto& y = model.predict(x);
  for (std::size_t i = 0; i < want.size(); ++i)
    CHECK(y.data()[i] == Approx(want[i]).epsilon(1e-4).margin(1e-5));
  fs::remove(weights);
  fs::remove(io);
}

template <class Net>
void typenet_to_pytorch(const std::string& name, std::size_t batch) {
  require_torch();
  const auto weights = temp(name + "-tn.safetensors"), io = temp(name + "-tn-io.safetensors");
  tn::Model<Net> model{tn::init::He{}, 7, batch};
  // Training steps move the weights, running statistics and batch counts away from their start.
  tn::Tensor<float, typename Net::input_type> x(batch);
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(std::sin(0.37 * double(i)));
  std::vector<int> labels(batch);
  for (std::size_t n = 0; n < batch; ++n) labels[n] = int(n % 5);
  tn::optim::SGD sgd{{.lr = 0.05, .momentum = 0.9}};
  for (int s = 0; s < 4; ++s)
    model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, sgd, 0.05);
  tn::save_weights(model, weights);
  const auto& y = model.predict(x);
  const std::vector<std::size_t> in_shape = [&] {
    std::vector<std::size_t> s{batch};
    for (auto d : Net::input_type::dims) s.push_back(d);
    return s;
  }();
  tn::io::write_safetensors(io,
                            std::vector<tn::io::TensorView>{
                                {"input", tn::io::DType::F32, in_shape, std::as_bytes(x.span())},
                                {"output",
                                 tn::io::DType::F32,
                                 {batch, Net::output_type::size},
                                 std::as_bytes(std::span<const float>(y.data(), y.size()))}});
  CHECK(interop("check", name, weights, io) == 0);
  fs::remove(weights);
  fs::remove(io);
}

}  // namespace

TEST_CASE("PyTorch's LeNet-5 weights load into tn::models::LeNet5 and give its outputs",
          "[io][torch]") {
  pytorch_to_typenet<tn::models::LeNet5<>>("lenet5", 3);
}

TEST_CASE("PyTorch's conv/BatchNorm net with running statistics loads and agrees", "[io][torch]") {
  pytorch_to_typenet<SmallBN>("small_bn", 4);
}

TEST_CASE("typenet's trained LeNet-5 loads strictly into PyTorch, which agrees", "[io][torch]") {
  typenet_to_pytorch<tn::models::LeNet5<>>("lenet5", 3);
}

TEST_CASE("typenet's trained conv/BatchNorm net loads strictly into PyTorch, which agrees",
          "[io][torch]") {
  typenet_to_pytorch<SmallBN>("small_bn", 4);
}
