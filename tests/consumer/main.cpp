#include <iostream>
#include <typenet/typenet.hpp>

namespace tn = typenet;

using Net = tn::Sequential<tn::Input<1, 28, 28>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
                           tn::MaxPool2D<tn::Kernel<2>>, tn::Flatten, tn::Dense<10>>;
static_assert(Net::output_shape == tn::Shape<10>{});

int main() { std::cout << tn::summary<Net>("consumer"); }
