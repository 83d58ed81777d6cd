// An output padding as large as the stride, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Up = tn::ConvTranspose2D<8, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::OutputPad<1, 2>>;
#else
using Up = tn::ConvTranspose2D<8, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::OutputPad<1, 1>>;
#endif
using Net = tn::Sequential<tn::Input<16, 7, 7>, tn::ReLU, Up, tn::Flatten, tn::Dense<10>>;
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: ConvTranspose2D requires output pad < stride
// expect: layer<1>.*axis<'W'>.*output_pad<2>.*stride<2>
