// A small residual network on the real Fashion-MNIST: the CIFAR-style ResNet-8 of He et al.
// (three stages of one basic block, 16/32/64 maps, projection shortcuts) on the 28x28 images.
//
//   resnet_fashion_mnist [OUTPUT_DIR] [--epochs N] [--train-subset N] [--test-subset N]
//                        [--threads N]
//   resnet_fashion_mnist predict MODEL IMAGE... [--top N]
//
// Writes the training report OUTPUT_DIR/index.html (history.csv, curves.svg, pictures; see
// fashion_mnist.hpp) and model.safetensors (default
// resnet-fashion-mnist/); `predict` as lenet_fashion_mnist's (fashion_mnist.hpp).
#include <typenet/models/resnet.hpp>
#include <typenet/typenet.hpp>

#include "fashion_mnist.hpp"

namespace tn = typenet;

using ResNet8 = tn::models::CifarResNet<1, 10, 1, 28>;
static_assert(ResNet8::output_shape == tn::Shape<10>{});

int main(int argc, char** argv) {
  return fashion_mnist_main<ResNet8>({.program = "resnet_fashion_mnist",
                                      .title = "ResNet-8",
                                      .output = "resnet-fashion-mnist",
                                      .epochs = 8,
                                      .pad = 0,
                                      .learning_rate = 2e-3},
                                     argc, argv);
}
