// A target tensor for the SVM loss, in Model::train_step.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<20>, tn::Dense<10>>;
int main() {
  tn::Model<Net> model;
  tn::Tensor<float, Net::input_type> x(2);
  tn::optim::SGD sgd;
#ifdef TYPENET_SHOULD_FAIL
  tn::Tensor<float, tn::Shape<10>> labels(2);
  return model.train_step(x, labels, tn::loss::Hinge{}, sgd, 0.1) > 0 ? 0 : 1;
#else
  const std::vector<int> labels{0, 1};
  return model.train_step(x, labels, tn::loss::Hinge{}, sgd, 0.1) > 0 ? 0 : 1;
#endif
}
// expect: requires tn::ClassIndex labels
// expect: Hinge.*output<10>
