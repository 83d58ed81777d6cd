// LeNet-5 as a type: the compiler checks every shape and counts every parameter; this program
// only prints what the compiler already knows.
#include <iostream>
#include <typenet/typenet.hpp>

namespace tn = typenet;

using LeNet5 =
    tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Conv2D<16, tn::Kernel<5>>,
                   tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
                   tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;

static_assert(LeNet5::output_shape == tn::Shape<10>{});
static_assert(LeNet5::parameter_count == 61'706);

int main() {
  std::cout << tn::summary<LeNet5>("LeNet-5 (LeCun et al. 1998, with ReLU and max pooling)");
}
