// Every parameter of a model, flattened in the order of all_parameters(): what the training
// tests compare to see whether (and how) a run changed the weights.
#pragma once

#include <typenet/typenet.hpp>
#include <vector>

namespace train_test {

template <class Net, class T>
std::vector<T> weights(typenet::Model<Net, T>& model) {
  std::vector<T> all;
  for (auto* p : model.all_parameters())
    all.insert(all.end(), p->value.data(), p->value.data() + p->size());
  return all;
}

}  // namespace train_test
