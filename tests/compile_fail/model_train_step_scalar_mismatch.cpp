// A float batch into a double model's training step.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Batch = tn::Tensor<float, tn::Shape<1, 8, 8>>;
#else
using Batch = tn::Tensor<double, tn::Shape<1, 8, 8>>;
#endif
int main() {
  tn::Model<Net, double> model;
  const Batch x(2);
  const std::vector<int> labels{0, 1};
  tn::optim::Adam adam;
  return model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, adam, 1e-3) > 0 ? 0 : 1;
}
// expect: scalar type mismatch
// expect: network_input, typenet::diag::expected<typenet::Tensor<double, .*given<typenet::Tensor<float,
