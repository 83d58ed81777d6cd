// The main job: LeNet-5 trained on the real Fashion-MNIST (Debian's dataset-fashion-mnist), and
// predictions on image files with the weights it saved.
//
//   lenet_fashion_mnist [OUTPUT_DIR] [--epochs N] [--train-subset N] [--test-subset N]
//                       [--threads N]
//   lenet_fashion_mnist predict MODEL IMAGE... [--top N]
//
// Training writes the training report OUTPUT_DIR/index.html (with history.csv, curves.svg and
// the confusion matrix, misclassified test images, first-layer filters and training inputs as
// PNGs) and model.safetensors (the weights, with the padding and normalisation in its metadata);
// `predict` prints the three most probable classes of each image file:
//
//   $ lenet_fashion_mnist predict lenet-fashion-mnist/model.safetensors shirt.jpg
//   shirt.jpg: Shirt 97.2%, T-shirt/top 1.7%, Pullover 1.0%
//
// See fashion_mnist.hpp and fashion_mnist_predict.hpp.
#include <typenet/typenet.hpp>

#include "fashion_mnist.hpp"

namespace tn = typenet;

using LeNet5 =
    tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Conv2D<16, tn::Kernel<5>>,
                   tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
                   tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;

static_assert(LeNet5::output_shape == tn::Shape<10>{});
static_assert(LeNet5::parameter_count == 61'706);

int main(int argc, char** argv) {
  return fashion_mnist_main<LeNet5>({.program = "lenet_fashion_mnist",
                                     .title = "LeNet-5",
                                     .output = "lenet-fashion-mnist",
                                     .epochs = 5,
                                     .pad = 2,  // LeNet-5 takes 32x32, as in the paper
                                     .learning_rate = 2e-3},
                                    argc, argv);
}
