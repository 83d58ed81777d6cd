// Dropping every unit, through tn::Model.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10>, tn::Dropout<std::ratio<1>>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<10>, tn::Dropout<std::ratio<9, 10>>, tn::Dense<10>>;
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
// expect: Dropout<P> requires 0 <= P < 1
