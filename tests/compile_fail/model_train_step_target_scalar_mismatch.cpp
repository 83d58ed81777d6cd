// Float regression targets for a double model's training step.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Targets = tn::Tensor<float, tn::Shape<10>>;
#else
using Targets = tn::Tensor<double, tn::Shape<10>>;
#endif
int main() {
  tn::Model<Net, double> model;
  const tn::Tensor<double, tn::Shape<1, 8, 8>> x(2);
  const Targets targets(2);
  tn::optim::SGD sgd;
  return model.train_step(x, targets, tn::loss::MSE{}, sgd, 0.1) > 0 ? 0 : 1;
}
// expect: scalar type mismatch
// expect: loss_target, typenet::diag::expected<typenet::Tensor<double, typenet::Shape<10> ?> ?>, typenet::diag::given<typenet::Tensor<float, typenet::Shape<10> ?> ?>
