// MSE against targets of another size than the output, in Model::train_step.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<20>, tn::Dense<10>>;
int main() {
  tn::Model<Net> model;
  tn::Tensor<float, Net::input_type> x(2);
  tn::optim::SGD sgd;
#ifdef TYPENET_SHOULD_FAIL
  tn::Tensor<float, tn::Shape<5>> labels(2);
  return model.train_step(x, labels, tn::loss::MSE{}, sgd, 0.1) > 0 ? 0 : 1;
#else
  tn::Tensor<float, tn::Shape<10>> labels(2);
  return model.train_step(x, labels, tn::loss::MSE{}, sgd, 0.1) > 0 ? 0 : 1;
#endif
}
// expect: the label shape must equal the network's output shape
// expect: MSE.*output<10>.*Shape<5>
