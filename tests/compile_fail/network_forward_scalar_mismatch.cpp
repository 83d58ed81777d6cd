// A float batch into a double network's forward pass.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Batch = tn::Tensor<float, tn::Shape<1, 8, 8>>;
#else
using Batch = tn::Tensor<double, tn::Shape<1, 8, 8>>;
#endif
int main() {
  tn::Network<Net, double> network(2);
  const Batch x(2);
  return network.forward(x, tn::Mode::train).batch() == 2 ? 0 : 1;
}
// expect: scalar type mismatch
// expect: network_input, typenet::diag::expected<typenet::Tensor<double, .*given<typenet::Tensor<float,
