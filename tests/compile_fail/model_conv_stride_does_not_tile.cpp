// Building a tn::Model (and fitting, evaluating, predicting with it) of a network that breaks a
// rule gives the one error of that rule, naming the layer that broke it: layer 9, not layer 0.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Last = tn::Conv2D<32, tn::Kernel<3>, tn::Stride<2>>;
#else
using Last = tn::Conv2D<32, tn::Kernel<4>, tn::Stride<2>, tn::Pad<1>>;
#endif
using Conv3 = tn::Conv2D<16, tn::Kernel<3>, tn::Pad<1>>;
using Net = tn::Sequential<tn::Input<3, 32, 32>, Conv3, tn::ReLU, Conv3, tn::ReLU,
                           tn::MaxPool2D<tn::Kernel<2>>, Conv3, tn::ReLU, Conv3, tn::ReLU, Last,
                           tn::ReLU, tn::Flatten, tn::Dense<10>>;
int main() {
  tn::Model<Net> model;  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  std::vector<int> labels{0, 1};
  tn::optim::SGD sgd;
  const double loss = model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1);
  [[maybe_unused]] const auto& scores = model.predict(x);
  const auto data =
      tn::data::Dataset::from_arrays(std::vector<float>(2 * 3 * 32 * 32), {0, 1}, 3, 32, 32, 10);
  tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data);
  [[maybe_unused]] const tn::Evaluation e = tn::evaluate(model, data);
  tn::Network<Net, double> network(2);
  return loss > 0 ? 0 : 1;
}
// expect: stride does not tile the padded input exactly
// expect: layer<9>.*input<16, 16, 16>.*kernel<3>.*stride<2>
