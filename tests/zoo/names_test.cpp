// The zoo's state_dict names and shapes are torchvision's, key by key, in order. The expected
// lists are torchvision 0.14's, written by tools/torchvision_keys.py into tests/zoo/torchvision/
// (models built with weights=None; GoogLeNet with aux_logits=False).
#include <catch2/catch.hpp>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <typenet/io/weights.hpp>
#include <typenet/models/zoo.hpp>
#include <utility>
#include <vector>

namespace {

namespace tn = typenet;
namespace m = typenet::models;

using Keys = std::vector<std::pair<std::string, std::string>>;

Keys torchvision_keys(const std::string& model) {
  const std::string path =
      std::string(TYPENET_SOURCE_DIR) + "/tests/zoo/torchvision/" + model + ".txt";
  std::ifstream in(path);
  REQUIRE(in.good());
  Keys keys;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string name, shape;
    fields >> name >> shape;
    keys.emplace_back(name, shape);
  }
  REQUIRE(!keys.empty());
  return keys;
}

std::string shape_text(const std::vector<std::size_t>& dims) {
  if (dims.empty()) return "scalar";
  std::string text;
  for (std::size_t d : dims) {
    if (!text.empty()) text += 'x';
    text += std::to_string(d);
  }
  return text;
}

// Compares key by key, so that a failure names the first key that differs.
template <class Net>
void same_keys(const std::string& model) {
  const Keys expected = torchvision_keys(model);
  Keys ours;
  for (const auto& [name, dims] : tn::state_dict_shapes<Net>())
    ours.emplace_back(name, shape_text(dims));
  INFO(model);
  for (std::size_t i = 0; i < std::min(expected.size(), ours.size()); ++i) {
    INFO("key " << i);
    REQUIRE(ours[i] == expected[i]);
  }
  CHECK(ours.size() == expected.size());
  CHECK(tn::state_dict_names<Net>().size() == ours.size());
}

}  // namespace

TEST_CASE("zoo names: ResNets are torchvision's", "[names]") {
  same_keys<m::ResNet18<>>("resnet18");
  same_keys<m::ResNet34<>>("resnet34");
  same_keys<m::ResNet50<>>("resnet50");
  same_keys<m::ResNet101<>>("resnet101");
  same_keys<m::ResNet152<>>("resnet152");
  same_keys<m::WideResNet50_2<>>("wide_resnet50_2");
  same_keys<m::ResNeXt50_32x4d<>>("resnext50_32x4d");
}

TEST_CASE("zoo names: VGGs and AlexNet are torchvision's", "[names]") {
  same_keys<m::VGG<11>>("vgg11");
  same_keys<m::VGG<13>>("vgg13");
  same_keys<m::VGG<16>>("vgg16");
  same_keys<m::VGG<19>>("vgg19");
  same_keys<m::VGG<11, true>>("vgg11_bn");
  same_keys<m::VGG<13, true>>("vgg13_bn");
  same_keys<m::VGG<16, true>>("vgg16_bn");
  same_keys<m::VGG<19, true>>("vgg19_bn");
  same_keys<m::AlexNet<>>("alexnet");
}

TEST_CASE("zoo names: GoogLeNet and DenseNets are torchvision's", "[names]") {
  same_keys<m::GoogLeNet<>>("googlenet");
  same_keys<m::DenseNet121<>>("densenet121");
  same_keys<m::DenseNet161<>>("densenet161");
  same_keys<m::DenseNet169<>>("densenet169");
  same_keys<m::DenseNet201<>>("densenet201");
}

TEST_CASE("zoo names: a torchvision key list that differs is told apart", "[names]") {
  // The comparison can fail: ResNet-18's names are not ResNet-34's.
  const auto r18 = tn::state_dict_names<m::ResNet18<>>();
  const Keys r34 = torchvision_keys("resnet34");
  CHECK(r18.size() != r34.size());
  // LeNet-5 keeps nn.Sequential's positional names.
  CHECK(tn::state_dict_names<m::LeNet5<>>() ==
        std::vector<std::string>{"0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias",
                                 "9.weight", "9.bias", "11.weight", "11.bias"});
}
