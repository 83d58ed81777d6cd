// BatchNorm on a C x L sequence, through tn::Model.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<8, 5>, tn::BatchNorm, tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<8, 5, 1>, tn::BatchNorm, tn::Flatten, tn::Dense<10>>;
#endif
int main() {
  tn::Model<Net> model;  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  std::vector<int> labels{0, 1};
  tn::optim::SGD sgd;
  const double loss = model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1);
  [[maybe_unused]] const auto& scores = model.predict(x);
  tn::Network<Net, double> network(2);
  return loss > 0 ? 0 : 1;
}
// expect: requires a feature vector .N. or a C x H x W input
// expect: layer<0>.*BatchNorm.*input<8, 5>
