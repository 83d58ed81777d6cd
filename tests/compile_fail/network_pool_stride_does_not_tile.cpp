// README's LeNet-5 with a 4x4 first kernel, built as a tn::Network: 29 rows that 2x2 pooling
// cannot halve, one error, at the pooling (layer 2).
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using First = tn::Conv2D<6, tn::Kernel<4>>;
#else
using First = tn::Conv2D<6, tn::Kernel<5>>;
#endif
using Net =
    tn::Sequential<tn::Input<1, 32, 32>, First, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Conv2D<16, tn::Kernel<5>>,
                   tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
                   tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: stride does not tile the padded input exactly
// expect: layer<2>.*input<6, 29, 29>.*kernel<2>.*stride<2>
