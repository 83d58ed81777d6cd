// Class indices for MSE, in Model::train_step.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<20>, tn::Dense<10>>;
int main() {
  tn::Model<Net> model;
  tn::Tensor<float, Net::input_type> x(2);
  tn::optim::SGD sgd;
#ifdef TYPENET_SHOULD_FAIL
  const std::vector<int> labels{0, 1};
  return model.train_step(x, labels, tn::loss::MSE{}, sgd, 0.1) > 0 ? 0 : 1;
#else
  tn::Tensor<float, tn::Shape<10>> labels(2);
  return model.train_step(x, labels, tn::loss::MSE{}, sgd, 0.1) > 0 ? 0 : 1;
#endif
}
// expect: requires a tn::Shape<...> target of the output's shape as label, not tn::ClassIndex
// expect: MSE.*output<10>
