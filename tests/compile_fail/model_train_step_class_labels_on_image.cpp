// Class labels for a network that outputs an image, in Model::train_step.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>>;
int main() {
  tn::Model<Net> model;
  tn::Tensor<float, Net::input_type> x(2);
  tn::optim::SGD sgd;
#ifdef TYPENET_SHOULD_FAIL
  const std::vector<int> labels{0, 1};
  return model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1) > 0 ? 0 : 1;
#else
  tn::Tensor<float, tn::Shape<4, 8, 8>> labels(2);
  return model.train_step(x, labels, tn::loss::MSE{}, sgd, 0.1) > 0 ? 0 : 1;
#endif
}
// expect: requires a 1-D output of N >= 2 class scores
// expect: SoftmaxCrossEntropy.*output<4, 8, 8>
