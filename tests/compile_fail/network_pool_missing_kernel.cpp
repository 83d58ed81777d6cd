// A pooling layer without a window, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Stride<2>>, tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>,
                           tn::Flatten, tn::Dense<10>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: MaxPool2D/AvgPool2D<Options...> require a window size
