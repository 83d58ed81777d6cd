// A GRU after a convolution, through tn::Model: the image must become a sequence first.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>,
                           tn::GRU<16>, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<8, 8>, tn::GRU<16>, tn::Dense<10>>;
#endif
int main() {
  tn::Model<Net> model;  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  std::vector<int> labels{0, 1};
  tn::optim::SGD sgd;
  const double loss = model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1);
  [[maybe_unused]] const auto& scores = model.predict(x);
  return loss > 0 ? 0 : 1;
}
// expect: requires a Steps x Features sequence, not a C x H x W image
// expect: layer<1>.*GRU<16>.*input<4, 8, 8>
