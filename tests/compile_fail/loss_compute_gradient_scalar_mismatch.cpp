// A float gradient buffer for the loss of a double network.
#include <typenet/typenet.hpp>
#include <vector>
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
  const std::vector<int> labels{3, 7};
  Gradient dscores(2);
  const auto& scores = network.forward(x, tn::Mode::train);
  return tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, scores, labels, &dscores) > 0 ? 0 : 1;
}
// expect: scalar type mismatch
// expect: loss_gradient, typenet::diag::expected<typenet::Tensor<double, typenet::Shape<10> ?> ?>, typenet::diag::given<typenet::Tensor<float, typenet::Shape<10> ?> ?>
