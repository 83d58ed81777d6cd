// Model::train_step with masks of another size than the network's per-pixel scores.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>>;
int main() {
  tn::Model<Net> model;
  tn::Tensor<float, Net::input_type> x(2);
  tn::optim::SGD sgd;
#ifdef TYPENET_SHOULD_FAIL
  const std::vector<int> classes(2 * 6 * 6, 0);
  const tn::ClassMask<6, 6> masks{classes};
#else
  const std::vector<int> classes(2 * 8 * 8, 0);
  const tn::ClassMask<8, 8> masks{classes};
#endif
  return model.train_step(x, masks, tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1) > 0 ? 0 : 1;
}
// expect: tn::ClassMask<H, W> labels must have the height and width of the output
// expect: SoftmaxCrossEntropy.*output<3, 8, 8>.*ClassMask<6, 6>
