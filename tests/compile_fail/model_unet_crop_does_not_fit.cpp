// A U-Net step whose skip has no centre crop (21x21 input), through tn::Model.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
constexpr std::size_t size = 21;
#else
constexpr std::size_t size = 20;
#endif
using Conv3 = tn::Conv2D<2, tn::Kernel<3>>;
using Net = tn::Sequential<
    tn::Input<1, size, size>, Conv3, tn::ReLU, Conv3, tn::ReLU,
    tn::CropConcat<tn::Identity,
                   tn::Block<tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>, tn::Floor>,
                             tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU, tn::Conv2D<4, tn::Kernel<3>>,
                             tn::ReLU, tn::ConvTranspose2D<2, tn::Kernel<2>, tn::Stride<2>>>>,
    tn::Flatten, tn::Dense<10>>;
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
// expect: CropConcat<Branch...> crop does not fit
// expect: layer<4>.*input<2, 17, 17>.*branch_output<2, 17, 17>.*branch_output<2, 8, 8>
