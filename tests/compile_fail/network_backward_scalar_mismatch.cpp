// A float output gradient into a double network's backward pass.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Gradient = tn::Tensor<float, tn::Shape<10>>;
#else
using Gradient = tn::Tensor<double, tn::Shape<10>>;
#endif
int main() {
  tn::Network<Net, double> network(2);
  const tn::Tensor<double, tn::Shape<1, 8, 8>> x(2);
  const Gradient dy(2);
  network.forward(x, tn::Mode::train);
  network.backward(x, dy);
  return network.capacity() == 2 ? 0 : 1;
}
// expect: scalar type mismatch
// expect: output_gradient, typenet::diag::expected<typenet::Tensor<double, typenet::Shape<10> ?> ?>, typenet::diag::given<typenet::Tensor<float, typenet::Shape<10> ?> ?>
