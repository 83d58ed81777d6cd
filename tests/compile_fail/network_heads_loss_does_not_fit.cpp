// A head whose loss does not fit its output, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Box = tn::Head<tn::Conv2D<1, tn::Kernel<1>>, tn::loss::SoftmaxCrossEntropy>;
#else
using Box = tn::Head<tn::Conv2D<1, tn::Kernel<1>>, tn::loss::MSE>;
#endif
using Net = tn::Sequential<
    tn::Input<3, 4, 4>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
    tn::Heads<tn::Head<tn::Block<tn::Flatten, tn::Dense<10>>, tn::loss::SoftmaxCrossEntropy>, Box>>;
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: a loss on tn::ClassIndex labels requires a 1-D output of N >= 2 class
// expect: head_loss_fits<.*layer<2>.*head<1>
// expect: output<1, 4, 4>
// expect-within: 20
