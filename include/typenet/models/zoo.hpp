// The model zoo: every classic architecture as a type, parameterised by the number of classes.
// Shapes, parameter counts and multiply-accumulates are static_asserted against the published
// figures in tests/static/models/zoo_*_test.cpp; docs/zoo.md lists them (generated from these
// types).
#pragma once

#include "typenet/models/alexnet.hpp"
#include "typenet/models/densenet.hpp"
#include "typenet/models/googlenet.hpp"
#include "typenet/models/lenet.hpp"
#include "typenet/models/resnet.hpp"
#include "typenet/models/unet.hpp"
#include "typenet/models/vgg.hpp"
