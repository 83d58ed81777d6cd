// The same MLP on the real Fashion-MNIST (Debian's dataset-fashion-mnist), trained six ways:
// without regularisation, with Dropout, DropConnect, Shakeout, Whiteout, and with an L2 penalty
// (weight decay). Each run prints its training and test accuracy, and at the end a Markdown table
// of both and their gap (docs/training.md quotes one).
//
//   regularizer_comparison [--epochs N] [--train-subset N] [--test-subset N] [--threads N]
//
// --help lists them with their defaults; a wrong one is one line on stderr and exit status 2.
//
// The MLP is 784-256-256-10 with ReLUs. Dropout drops the two hidden layers' outputs; DropConnect,
// Shakeout and Whiteout perturb the two layers that read them (the same connections); L2 adds
// 5e-4 sum w^2 to the loss. Training uses the first --train-subset images (default 10,000: a
// small set makes overfitting visible), Adam at 1e-3, batch 64, a cosine schedule, the same seed
// for every variant. The hyper-parameters are the papers' usual ones, not tuned here.
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <iomanip>
#include <iostream>
#include <optional>
#include <ratio>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typenet/layers/drop_connect.hpp>
#include <typenet/layers/shakeout.hpp>
#include <typenet/layers/whiteout.hpp>
#include <typenet/typenet.hpp>
#include <vector>

#include "arguments.hpp"

namespace tn = typenet;

namespace {

using Half = std::ratio<1, 2>;

template <class Hidden, class Head>
using Mlp = tn::Sequential<tn::Input<1, 28, 28>, tn::Flatten, tn::Dense<256>, tn::ReLU, Hidden,
                           tn::ReLU, Head>;
template <class Drop>
using DroppedMlp = tn::Sequential<tn::Input<1, 28, 28>, tn::Flatten, tn::Dense<256>, tn::ReLU, Drop,
                                  tn::Dense<256>, tn::ReLU, Drop, tn::Dense<10>>;

using Plain = Mlp<tn::Dense<256>, tn::Dense<10>>;
using WithDropout = DroppedMlp<tn::Dropout<Half>>;
using WithDropConnect =
    Mlp<tn::DropConnect<tn::Dense<256>, Half>, tn::DropConnect<tn::Dense<10>, Half>>;
using WithShakeout = Mlp<tn::Shakeout<tn::Dense<256>, Half, std::ratio<1, 20>>,
                         tn::Shakeout<tn::Dense<10>, Half, std::ratio<1, 20>>>;
using WithWhiteout = Mlp<tn::Whiteout<tn::Dense<256>, std::ratio<1, 10>, std::ratio<1>>,
                         tn::Whiteout<tn::Dense<10>, std::ratio<1, 10>, std::ratio<1>>>;

struct Row {
  std::string name;
  double train = 0, test = 0, seconds = 0;
};

template <class Net>
Row run(const std::string& name, const tn::data::Dataset& train, const tn::data::Dataset& test,
        std::size_t epochs, std::optional<tn::reg::ElasticNet> penalty = {}) {
  const auto start = std::chrono::steady_clock::now();
  tn::Model<Net> model(tn::init::He{}, 1);
  tn::optim::Adam adam{{.lr = 1e-3}};
  tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, train,
          {.epochs = epochs,
           .batch = 64,
           .schedule = tn::schedule::Cosine{},
           .regularization = penalty,
           .seed = 1,
           .quiet = true});
  Row row{name, tn::evaluate(model, train).accuracy, tn::evaluate(model, test).accuracy, 0};
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << std::fixed << std::setprecision(2) << name << ": train accuracy " << 100 * row.train
            << "%, test accuracy " << 100 * row.test << "% (" << std::setprecision(1) << row.seconds
            << " s)" << std::endl;
  return row;
}

}  // namespace

int main(int argc, char** argv) try {
  std::size_t epochs = 30, train_subset = 10000, test_subset = 0, threads = 0;
  CommandLine app{"The same MLP on Fashion-MNIST without regularisation and with five kinds of it",
                  "regularizer_comparison"};
  app.add_count("--epochs", epochs, "epochs of training for each variant", 1, 1'000'000);
  app.add_count("--train-subset", train_subset, "train on the first N training images", 1, 60'000);
  app.add_count("--test-subset", test_subset, "test on the first N test images (0: all)", 0,
                10'000);
  app.add_threads(threads);
  if (const auto status = app.parse(argc, argv)) return *status;
  if (threads > 0) tn::set_threads(threads);

  auto data = tn::data::fashion_mnist();
  auto train = data.train.head(train_subset);
  auto test = test_subset > 0 ? data.test.head(test_subset) : data.test;
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  normalizer.apply(test);
  std::cout << "Fashion-MNIST: " << train.size() << " training, " << test.size()
            << " test images; MLP 784-256-256-10, " << epochs << " epochs; " << tn::threads()
            << " thread(s)\n\n";

  std::vector<Row> rows;
  rows.push_back(run<Plain>("none", train, test, epochs));
  rows.push_back(run<WithDropout>("Dropout(1/2) after both hidden layers", train, test, epochs));
  rows.push_back(run<WithDropConnect>("DropConnect(1/2) on layers 2 and 3", train, test, epochs));
  rows.push_back(
      run<WithShakeout>("Shakeout(tau 1/2, c 1/20) on layers 2 and 3", train, test, epochs));
  rows.push_back(run<WithWhiteout>("Whiteout(sigma 1/10, gamma 1, lambda 0) on layers 2 and 3",
                                   train, test, epochs));
  rows.push_back(
      run<Plain>("L2 (5e-4 sum w^2)", train, test, epochs, tn::reg::ElasticNet{0, 5e-4}));

  std::cout << "\n| regularisation | train accuracy | test accuracy | train - test |\n"
            << "| --- | --- | --- | --- |\n";
  for (const auto& row : rows)
    std::cout << std::fixed << std::setprecision(2) << "| " << row.name << " | " << 100 * row.train
              << " % | " << 100 * row.test << " % | " << 100 * (row.train - row.test) << " |\n";
  return 0;
} catch (const std::exception& error) {
  report_error("regularizer_comparison", error.what());
  return 1;
}
