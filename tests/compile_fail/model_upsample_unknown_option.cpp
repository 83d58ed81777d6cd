// A stride given to Upsample, through tn::Model.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Up = tn::Upsample<tn::Stride<2>>;
#else
using Up = tn::Upsample<tn::Scale<2>>;
#endif
using Net = tn::Sequential<tn::Input<4, 8, 8>, Up, tn::Flatten, tn::Dense<10>>;
int main() {
  tn::Model<Net> model;  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  std::vector<int> labels{0, 1};
  tn::optim::SGD sgd;
  const double loss = model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1);
  [[maybe_unused]] const auto& scores = model.predict(x);
  tn::Network<Net, double> network(2);
  return loss > 0 ? 0 : 1;
}
// expect: Upsample<Options...> takes as options only tn::Scale<SH, SW> and an
// expect: layer<0>
