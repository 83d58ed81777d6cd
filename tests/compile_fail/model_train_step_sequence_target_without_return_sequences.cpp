// Per-step targets for a network that returns only the last step's state, through train_step.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<20, 1>, tn::GRU<8>, tn::Dense<1>>;
#else
using Net = tn::Sequential<tn::Input<20, 1>, tn::GRU<8, tn::ReturnSequences>,
                           tn::TimeDistributed<tn::Dense<1>>>;
#endif
int main() {
  tn::Model<Net> model;
  tn::Tensor<float, Net::input_type> x(2);
  tn::Tensor<float, tn::Shape<20, 1>> target(2);
  tn::optim::SGD sgd;
  return model.train_step(x, target, tn::loss::MSE{}, sgd, 0.1) > 0 ? 0 : 1;
}
// expect: the label is a Steps x N sequence and the output one vector per sample
// expect: MSE.*output<1>.*Shape<20, 1>
