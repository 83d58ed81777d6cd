// The README's "Computing" example, compiled and run as written there.
#include <catch2/catch.hpp>
#include <cmath>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {
using LeNet5 = tn::Sequential<tn::Input<1, 32, 32>,
    tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>,
    tn::Conv2D<16, tn::Kernel<5>>, tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>,
    tn::Flatten, tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;
}  // namespace

TEST_CASE("README: computing with LeNet-5", "[docs]") {
  tn::Network<LeNet5> net(/*batch capacity=*/64);        // float; tn::Network<LeNet5, double>
  tn::Tensor<float, tn::Shape<1, 32, 32>> images(64);    // NCHW, 64-byte aligned
  tn::Tensor<float, tn::Shape<10>> dscores(64);
  std::vector<int> labels(64);
  const auto& scores = net.forward(images, tn::Mode::train);
  double loss = tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, scores, labels, &dscores);
  net.backward(images, dscores);                         // every parameter's gradient
  std::size_t total = 0;
  for (tn::Parameter<float>* p : net.parameters()) total += p->size();
  // All-zero weights: every score is 0, so the loss is log(10), and the parameter count is the
  // compiler's.
  CHECK(loss == Approx(std::log(10.0)));
  CHECK(total == LeNet5::parameter_count);
}
