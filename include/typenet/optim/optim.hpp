// The optimisers, for a program that wants them all: SGD (with momentum, Nesterov, weight decay),
// AdaGrad, RMSProp, Adam and AdamW. Each has `Options`, `learning_rate()` and
// `step(parameters, lr)`; Model::train_step and fit call them.
#pragma once

#include "typenet/optim/adagrad.hpp"
#include "typenet/optim/adam.hpp"
#include "typenet/optim/rmsprop.hpp"
#include "typenet/optim/sgd.hpp"
