// SimpleRNN, LSTM and GRU against PyTorch: outputs and gradients of fixed small cases written by
// tools/recurrent_reference.py (nn.RNN/nn.LSTM/nn.GRU in float64, the same parameters in
// state_dict order), in double and in float.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

struct Reference {
  std::vector<std::string> header;
  std::map<std::string, std::vector<double>> arrays;
  std::vector<std::string> parameters;  // state_dict order
};

Reference read_case(const std::string& name) {
  std::ifstream in(std::string(TYPENET_SOURCE_DIR) +
                   "/tests/unit/layers/data/recurrent_reference.txt");
  REQUIRE(in);
  std::string text;
  Reference ref;
  bool inside = false;
  while (std::getline(in, text)) {
    std::istringstream line(text);
    std::string key;
    line >> key;
    if (key == "case") {
      std::string case_name;
      line >> case_name;
      inside = case_name == name;
      if (inside)
        for (std::string field; line >> field;) ref.header.push_back(field);
    } else if (key == "end") {
      if (inside) return ref;
    } else if (inside) {
      std::size_t count = 0;
      line >> count;
      std::vector<double> values(count);
      for (auto& v : values) line >> v;
      REQUIRE(line);
      if (key != "x" && key != "y" && key != "r" && key != "dx" && key[0] != 'd')
        ref.parameters.push_back(key);
      ref.arrays[key] = std::move(values);
    }
  }
  FAIL("no case " << name << " in recurrent_reference.txt");
  return ref;
}

template <class T, class S>
void load(tn::Tensor<T, S>& t, const std::vector<double>& values) {
  REQUIRE(values.size() == t.size());
  for (std::size_t i = 0; i < values.size(); ++i) t[i] = T(values[i]);
}

template <class T>
void require_close(const T* actual, const std::vector<double>& expected, double tolerance,
                   const std::string& what) {
  double worst = 0;
  std::size_t at = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double e = std::abs(double(actual[i]) - expected[i]);
    if (!(e <= worst)) worst = e, at = i;
  }
  INFO(what << "[" << at << "]: " << double(actual[at]) << " against PyTorch's " << expected[at]);
  REQUIRE(worst < tolerance);
}

// Runs Spec on the case's x with its parameters; compares y, dx and every parameter gradient.
template <class Spec, std::size_t Steps, std::size_t Features, class T>
void compare(const std::string& name, std::size_t batch, double tolerance) {
  const Reference ref = read_case(name);
  using In = tn::Shape<Steps, Features>;
  using Out = typename tn::bind<Spec, In>::output_type;
  REQUIRE(ref.header[1] == std::to_string(Steps));
  REQUIRE(ref.header[2] == std::to_string(Features));
  REQUIRE(ref.header.back() == std::to_string(batch));
  tn::Layer<Spec, In, T> layer(batch);
  tn::Tensor<T, In> x(batch), dx(batch);
  tn::Tensor<T, Out> y(batch), r(batch);
  load(x, ref.arrays.at("x"));
  load(r, ref.arrays.at("r"));
  auto parameters = layer.parameters();
  REQUIRE(parameters.size() == ref.parameters.size());
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    REQUIRE(std::string(Spec::parameter_names[k]) == ref.parameters[k]);
    const auto& values = ref.arrays.at(ref.parameters[k]);
    REQUIRE(values.size() == parameters[k].size());
    for (std::size_t i = 0; i < values.size(); ++i) parameters[k].value[i] = T(values[i]);
  }
  layer.forward(x, y, tn::Mode::train);
  require_close(y.data(), ref.arrays.at("y"), tolerance, name + " output");
  layer.backward(x, y, r, &dx);
  require_close(dx.data(), ref.arrays.at("dx"), tolerance, name + " input gradient");
  for (std::size_t k = 0; k < parameters.size(); ++k)
    require_close(parameters[k].gradient.data(), ref.arrays.at("d" + ref.parameters[k]), tolerance,
                  name + " gradient of " + ref.parameters[k]);
}

template <class T>
void all_cases(double tolerance) {
  compare<tn::LSTM<3>, 5, 4, T>("lstm_last", 2, tolerance);
  compare<tn::LSTM<2, tn::Bidirectional>, 4, 3, T>("lstm_bidirectional_last", 3, tolerance);
  compare<tn::LSTM<4, tn::ReturnSequences, tn::Bias<false>>, 3, 2, T>("lstm_sequences_no_bias", 2,
                                                                      tolerance);
  compare<tn::GRU<3>, 4, 3, T>("gru_last", 2, tolerance);
  compare<tn::GRU<3, tn::Bidirectional, tn::ReturnSequences>, 4, 2, T>(
      "gru_bidirectional_sequences", 2, tolerance);
  compare<tn::SimpleRNN<4, tn::Bidirectional>, 3, 3, T>("rnn_tanh_bidirectional_last", 2,
                                                        tolerance);
  compare<tn::SimpleRNN<3, tn::ReLU, tn::ReturnSequences, tn::Bias<false>>, 4, 3, T>(
      "rnn_relu_sequences", 3, tolerance);
}

}  // namespace

TEST_CASE("Recurrent layers agree with PyTorch in double", "[recurrent][torch]") {
  all_cases<double>(1e-12);
}

TEST_CASE("Recurrent layers agree with PyTorch in float", "[recurrent][torch]") {
  all_cases<float>(2e-5);
}
