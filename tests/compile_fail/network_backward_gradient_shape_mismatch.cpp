// An input gradient buffer of another shape than the input.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using InputGradient = tn::Tensor<float, tn::Shape<64>>;
#else
using InputGradient = tn::Tensor<float, tn::Shape<1, 8, 8>>;
#endif
int main() {
  tn::Network<Net> network(2);
  const tn::Tensor<float, tn::Shape<1, 8, 8>> x(2);
  const tn::Tensor<float, tn::Shape<10>> dy(2);
  InputGradient dx(2);
  network.forward(x, tn::Mode::train);
  network.backward(x, dy, &dx);
  return network.capacity() == 2 ? 0 : 1;
}
// expect: tensor shape mismatch
// expect: input_gradient, typenet::diag::expected<typenet::Tensor<float, typenet::Shape<1, 8, 8> ?> ?>, typenet::diag::given<typenet::Tensor<float, typenet::Shape<64> ?> ?>
