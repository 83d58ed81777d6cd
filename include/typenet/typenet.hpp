// typenet: a neural network's architecture as a C++ type. Include this one header.
#pragma once

// The checks first: the compiler names the include path of the header where a rule fails, and
// this keeps that path to two lines.
#include "typenet/spec/checks.hpp"
#include "typenet/spec/window_check.hpp"

#include "typenet/shapes.hpp"

#include "typenet/expr/expr.hpp"
#include "typenet/expr/tensor.hpp"
#include "typenet/graph/network.hpp"
#include "typenet/kernel/parallel.hpp"
#include "typenet/layers/activation.hpp"
#include "typenet/layers/dense.hpp"
#include "typenet/layers/fold.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/layers/normalization.hpp"
#include "typenet/layers/pool.hpp"
#include "typenet/layers/resize.hpp"
#include "typenet/layers/topology.hpp"
#include "typenet/loss/loss.hpp"
#include "typenet/loss/multitask.hpp"
#include "typenet/models/resnet.hpp"
#include "typenet/reg/reg.hpp"
#include "typenet/data/augment.hpp"
#include "typenet/data/dataset.hpp"
#include "typenet/train/fit.hpp"
#include "typenet/train/model.hpp"
#include "typenet/train/optim.hpp"
#include "typenet/train/perceptron.hpp"
#include "typenet/train/schedule.hpp"
