// A mistake inside a residual branch, through tn::Model: the inner layer's rule, once.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Branch = tn::Block<tn::Conv2D<8, tn::Kernel<3>, tn::Stride<3>>, tn::BatchNorm, tn::PReLU>;
#else
using Branch = tn::Block<tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>>, tn::BatchNorm, tn::PReLU>;
#endif
using Net = tn::Sequential<tn::Input<8, 7, 7>, tn::ReLU,
                           tn::Residual<Branch, tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>>>,
                           tn::BatchNorm, tn::Flatten, tn::Dense<10>>;
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
// expect: stride does not tile the padded input exactly
// expect: layer<0>.*input<8, 7, 7>.*kernel<3>.*stride<3>
// expect-within: 20
