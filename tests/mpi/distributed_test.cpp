// Data-parallel training, run by CTest under mpirun (tests/CMakeLists.txt):
//   distributed_test equivalence    2 ranks x batch 32 against 1 process x batch 64
//   distributed_test train FILE     a 2-rank run whose weights rank 0 writes to FILE (twice: equal)
//   distributed_test fail KIND      rank 1 fails at step 5 (nan | throw | throw-sync, and with
//                                   the overlap: nan-overlap | throw-overlap | backward-overlap)
//   distributed_test overlap        the overlap gives the weights without it, bit for bit
//   distributed_test ring           the ring allreduce on 3 ranks, against exact sums
//   distributed_test mismatch WHAT  rank 1 is given another WHAT (epochs | train-subset | batch |
//                                   bucket | network): both stop at once with the same message
// Each prints its figures and exits non-zero when a check fails.
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <typenet/dist/mpi.hpp>
#include <typenet/typenet.hpp>

#include "common.hpp"

namespace {

using Plain = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU,
                             tn::Flatten, tn::Dense<16>, tn::ReLU, tn::Dense<4>>;
using Normalised =
    tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::BatchNorm, tn::ReLU,
                   tn::Flatten, tn::Dense<16>, tn::BatchNorm, tn::ReLU, tn::Dense<4>>;
using WithDropout = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::BatchNorm,
                                   tn::ReLU, tn::Flatten, tn::Dropout<std::ratio<1, 5>>,
                                   tn::Dense<16>, tn::ReLU, tn::Dense<4>>;

// An activation whose backward turns NaN on rank 1 from step 5 on while its forward stays
// finite: x + sqrt(g (x^2 + 1)), with g = 0 then (its derivative's 0 / (2 sqrt 0)). A failure in
// the middle of backward, with buckets of the layers above already being summed.
double poison_g = 1;
struct poisonable {
  auto operator()(const auto& x) const { return x + sqrt(poison_g * (x * x + 1.0)); }
};
using Poisoned =
    tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::Activation<poisonable>,
                   tn::Flatten, tn::Dense<16>, tn::ReLU, tn::Dense<4>>;

// The world, and whether each sum of floating-point values ran on a thread other than the main
// one (the overlap's) or on the main one.
class Watched final : public tn::Communicator {
 public:
  std::size_t rank() const override { return world().rank(); }
  std::size_t size() const override { return world().size(); }
  void allreduce_sum(std::span<float> v) override { note(), world().allreduce_sum(v); }
  void allreduce_sum(std::span<double> v) override { note(), world().allreduce_sum(v); }
  void allreduce_sum(std::span<std::int64_t> v) override { world().allreduce_sum(v); }
  void broadcast(std::span<float> v, std::size_t r) override { world().broadcast(v, r); }
  void broadcast(std::span<double> v, std::size_t r) override { world().broadcast(v, r); }
  void broadcast(std::span<std::int64_t> v, std::size_t r) override { world().broadcast(v, r); }
  void broadcast(std::span<char> v, std::size_t r) override { world().broadcast(v, r); }
  bool calls_from_any_thread() const override { return world().calls_from_any_thread(); }
  std::size_t on_main = 0, on_other = 0;

 private:
  static tn::Communicator& world() { return tn::mpi::world(); }
  void note() { ++(std::this_thread::get_id() == main_ ? on_main : on_other); }
  std::thread::id main_ = std::this_thread::get_id();
};

// 20 SGD-with-momentum steps on 2 ranks x 32 against 1 process x 64 over the same samples; the
// 2-rank run once more with the overlap: the same bits.
template <class Net, class T>
void equivalence(const char* name, double tolerance, bool sync) {
  auto& world = tn::mpi::world();
  const auto data = synthetic();
  tn::FitOptions options{.epochs = 1, .batch = 64, .seed = 7, .quiet = true};
  tn::Model<Net, T> reference{tn::init::He{}, 3, 64};
  tn::optim::SGD sgd{{.lr = 0.05, .momentum = 0.9}};
  const auto single = tn::fit(reference, sgd, tn::loss::SoftmaxCrossEntropy{}, data, options);

  // Rank 1 starts from other weights: the broadcast must replace them.
  tn::Model<Net, T> model{tn::init::He{}, 3 + world.rank(), 64};
  tn::optim::SGD sgd2{{.lr = 0.05, .momentum = 0.9}};
  options.batch = 32;
  options.distributed = {.communicator = &world, .sync_batch_norm = sync, .bucket_bytes = 1000};
  const auto parallel = tn::fit(model, sgd2, tn::loss::SoftmaxCrossEntropy{}, data, options);
  tn::Model<Net, T> overlapped{tn::init::He{}, 3 + world.rank(), 64};
  tn::optim::SGD sgd3{{.lr = 0.05, .momentum = 0.9}};
  options.distributed.overlap = true;
  tn::fit(overlapped, sgd3, tn::loss::SoftmaxCrossEntropy{}, data, options);
  expect(flat(overlapped) == flat(model), std::string(name) + ": the overlap changed the weights");

  // The largest relative difference of a tensor, max |a - b| / max |b|. A bias right before a
  // BatchNorm has a gradient that is 0 but for rounding (the normalisation takes the mean away):
  // its values are rounding noise, compared against the largest weight instead.
  const auto a = flat(model), b = flat(reference);
  double worst = 0, largest = 0, noise = 0;
  for (auto v : b) largest = std::max(largest, std::abs(double(v)));
  std::size_t at = 0;
  auto tensor = [&](std::size_t size, bool before_batch_norm) {
    double difference = 0, scale = 0;
    for (std::size_t i = at; i < at + size; ++i) {
      difference = std::max(difference, std::abs(double(a[i]) - double(b[i])));
      scale = std::max(scale, std::abs(double(b[i])));
    }
    if (before_batch_norm)
      noise = std::max(noise, difference / largest);
    else
      worst = std::max(worst, difference / std::max(scale, 1e-30));
    at += size;
  };
  const auto& all = model.all_parameters();
  for (std::size_t k = 0; k < all.size(); ++k)
    tensor(all[k]->size(), all[k]->kind == tn::ParameterKind::bias && k + 1 < all.size() &&
                               all[k + 1]->kind == tn::ParameterKind::scale);
  for (auto* s : model.network().state_buffers()) tensor(s->size(), false);
  const double loss_error = std::abs(parallel.epochs[0].train_loss - single.epochs[0].train_loss) /
                            single.epochs[0].train_loss;
  if (world.rank() == 0)
    std::cout << name << ": 2 ranks x 32 vs 1 x 64 after 20 steps: max relative difference "
              << worst << " (weights and running statistics), training loss " << loss_error << ", "
              << a.size() << " values";
  if (world.rank() == 0 && sync)
    std::cout << "; biases before BatchNorm: max |difference| " << noise
              << " of the largest weight";
  if (world.rank() == 0) std::cout << "\n";
  expect(worst < tolerance, std::string(name) + ": weights differ by " + std::to_string(worst));
  expect(noise < tolerance,
         std::string(name) + ": biases before BatchNorm differ by " + std::to_string(noise));
  expect(loss_error < tolerance, std::string(name) + ": the training loss differs");
  expect(same_on_all_ranks(a), std::string(name) + ": the ranks' weights differ");
  expect(same_on_all_ranks(
             std::vector<double>{parallel.epochs[0].train_loss, parallel.epochs[0].train_accuracy}),
         std::string(name) + ": the ranks' histories differ");
}

int train(const std::string& file) {
  auto& world = tn::mpi::world();
  auto data = synthetic();
  auto [train, validation] = tn::data::split(data, 0.8, 5);
  tn::Model<WithDropout> model{tn::init::He{}, 11, 32};
  tn::optim::Adam adam{{.lr = 1e-2}};
  const auto noise = [](std::span<float> image, std::mt19937_64& rng) {
    std::normal_distribution<float> normal(0, 0.1f);
    for (auto& v : image) v += normal(rng);
  };
  const auto history = tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, train,
                               {.epochs = 3,
                                .batch = 32,
                                .validation = validation,
                                .augment = noise,
                                .quiet = true,
                                .distributed = {.communicator = &world}});
  expect(same_on_all_ranks(flat(model)), "the ranks' weights differ");
  if (world.rank() == 0) {
    const auto values = flat(model);
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(values.data()), std::streamsize(values.size() * 4));
    std::cout << "train: validation accuracy " << history.epochs.back().validation_accuracy
              << ", weights in " << file << "\n";
  }
  expect(history.epochs.back().validation_accuracy > 0.5, "it did not learn");
  return failures;
}

template <class Net>
int fail(const std::string& kind) {
  auto& world = tn::mpi::world();
  const auto data = synthetic();
  tn::Model<Net> model{tn::init::He{}, 1, 32};
  tn::optim::SGD sgd{{.lr = 0.01}};
  int calls = 0;
  const bool overlap = kind.ends_with("-overlap");
  const std::string what = overlap ? kind.substr(0, kind.size() - 8) : kind;
  const auto bad = [&](std::span<float> image, std::mt19937_64&) {
    if (world.rank() != 1 || ++calls != 32 * 4 + 1) return;  // rank 1, step 5's first image
    if (what == "nan") image[0] = std::numeric_limits<float>::quiet_NaN();
    if (what == "backward") poison_g = 0;
    if (what == "throw" || what == "throw-sync")
      throw std::runtime_error("a broken image in the augmentation");
  };
  const auto start = std::chrono::steady_clock::now();
  std::string message = "fit returned";
  try {
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data,
            {.epochs = 2,
             .batch = 32,
             .augment = bad,
             .quiet = true,
             .distributed = {.communicator = &world,
                             .sync_batch_norm = kind == "throw-sync",
                             .bucket_bytes = 256,
                             .overlap = overlap}});
  } catch (const std::exception& error) {
    message = error.what();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "rank " << world.rank() << " stopped after " << seconds << " s: " << message << "\n";
  expect(seconds < 10, "stopping took " + std::to_string(seconds) + " s");
  // Rank 1's message, on rank 0 too.
  std::int64_t length = std::int64_t(message.size());
  world.broadcast(std::span(&length, 1), 1);
  std::string other(std::size_t(length), ' ');
  if (world.rank() == 1) other = message;
  world.broadcast(std::span(other.data(), other.size()), 1);
  if (what == "nan") {
    expect(message.find("fit: epoch 1, step 5 of 20: rank 1 of 2: the loss is nan; the input "
                        "batch already holds NaN") == 0,
           "the message: " + message);
    expect(other == message, "the ranks' messages differ");
  } else if (what == "backward") {
    expect(
        message.find("fit: epoch 1, step 5 of 20: rank 1 of 2: a non-finite gradient in ") == 0 &&
            message.find(" of layer 0 ") != std::string::npos,
        "the message: " + message);
    expect(other == message, "the ranks' messages differ");
  } else if (world.rank() == 0) {
    expect(message.find("epoch 1, step 5 of 20: rank 1 of 2: it left fit with an error outside "
                        "a training step") != std::string::npos,
           "rank 0's message: " + message);
    expect(other == "a broken image in the augmentation", "rank 1's message: " + other);
  }
  return failures;
}

// Rank 1 is given another setting than rank 0. Before the settings were compared, another
// training set size crashed or hung, other epochs hung after rank 0's last epoch and another
// batch aborted with MPI_ERR_TRUNCATE. Now every rank stops within the first collectives, with
// the same message naming the setting and both values, and no weight changed.
int mismatch(const std::string& what) {
  auto& world = tn::mpi::world();
  const bool other = world.rank() == 1;
  const auto data = synthetic(other && what == "train-subset" ? 640 : 1280);
  tn::FitOptions options{.epochs = other && what == "epochs" ? 3u : 5u,
                         .batch = other && what == "batch" ? 16u : 32u,
                         .quiet = true,
                         .distributed = {.communicator = &world}};
  if (what == "bucket") options.distributed.bucket_bytes = other ? 1000 : 4000;
  std::string message = "fit returned";
  bool unchanged = false;
  const auto start = std::chrono::steady_clock::now();
  const auto run = [&]<class Net>(tn::Model<Net>& model) {
    tn::optim::SGD sgd{{.lr = 0.05, .momentum = 0.9}};
    const auto before = flat(model);
    try {
      tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data, options);
    } catch (const std::invalid_argument& error) {
      message = error.what();
    }
    unchanged = flat(model) == before;
  };
  if (other && what == "network") {
    tn::Model<Normalised> model{tn::init::He{}, 1, 32};
    run(model);
  } else {
    tn::Model<Plain> model{tn::init::He{}, 1 + world.rank(), 32};
    run(model);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "rank " << world.rank() << " stopped after " << seconds << " s: " << message << "\n";
  expect(seconds < 5, "stopping took " + std::to_string(seconds) + " s");
  expect(unchanged, "a refused fit changed the weights");
  const std::string advice =
      " (every process must be given the same data and options; docs/distributed.md)";
  const std::string expected =
      what == "epochs"         ? "rank 1 has epochs = 3, rank 0 has 5"
      : what == "train-subset" ? "rank 1 has training samples = 640, rank 0 has 1280"
      : what == "batch"        ? "rank 1 has batch = 16, rank 0 has 32"
      : what == "bucket"       ? "rank 1 has distributed.bucket_bytes = 1000, rank 0 has 4000"
                               : "rank 1 has the network = typenet::Sequential<";
  if (what == "network")
    expect(message.find("fit: the processes differ: " + expected) == 0 &&
               message.find(", rank 0 has typenet::Sequential<") != std::string::npos &&
               message.find(advice) == message.size() - advice.size(),
           "the message: " + message);
  else
    expect(message == "fit: the processes differ: " + expected + advice, "the message: " + message);
  // Rank 1's message, on rank 0 too.
  std::int64_t length = std::int64_t(message.size());
  world.broadcast(std::span(&length, 1), 1);
  std::string theirs(std::size_t(length), ' ');
  if (world.rank() == 1) theirs = message;
  world.broadcast(std::span(theirs.data(), theirs.size()), 1);
  expect(theirs == message, "the ranks' messages differ");
  return failures;
}

// The same training with and without the overlap, buckets of 64 values (several in flight at
// once), float and double, with and without a penalty (whose gradient comes after backward, so
// that every bucket waits for it): the same bits on both ranks, and the sums with the overlap
// ran on its thread.
template <class T>
int overlap(const char* name) {
  auto& world = tn::mpi::world();
  expect(world.calls_from_any_thread(), "MPI does not give MPI_THREAD_SERIALIZED");
  const auto data = synthetic();
  const auto run = [&](bool on, bool penalty, Watched& watched) {
    tn::Model<Plain, T> model{tn::init::He{}, 5, 32};
    tn::optim::Adam adam{{.lr = 1e-2}};
    const auto history = tn::fit(
        model, adam, tn::loss::SoftmaxCrossEntropy{}, data,
        {.epochs = 2,
         .batch = 32,
         .regularization = penalty ? std::optional(tn::reg::ElasticNet{0, 1e-3}) : std::nullopt,
         .quiet = true,
         .distributed = {.communicator = &watched, .bucket_bytes = 64 * sizeof(T), .overlap = on}});
    auto values = flat(model);
    values.push_back(T(history.epochs.back().train_loss));
    return values;
  };
  for (const bool penalty : {false, true}) {
    Watched plain, overlapped;
    const auto without = run(false, penalty, plain), with = run(true, penalty, overlapped);
    const std::string what = std::string(name) + (penalty ? ", L2 penalty" : "");
    expect(with == without, what + ": the overlap changed the weights");
    expect(same_on_all_ranks(with), what + ": the ranks' weights differ");
    expect(plain.on_other == 0 && overlapped.on_other > 0,
           what + ": the sums did not run on the overlap's thread");
    if (world.rank() == 0)
      std::cout << "overlap, " << what << ": " << without.size() - 1
                << " values, bitwise the same; sums on the overlap's thread " << overlapped.on_other
                << ", on the main thread " << overlapped.on_main << "\n";
  }
  return failures;
}

int ring() {
  auto& world = tn::mpi::world();
  const auto r = double(world.rank());
  for (std::size_t n : {1, 2, 7, 1000}) {
    std::vector<double> values(n);
    std::vector<float> floats(n);
    for (std::size_t i = 0; i < n; ++i) values[i] = floats[i] = float((r + 1) * double(i) + r);
    world.allreduce_sum(std::span(values));
    world.allreduce_sum(std::span(floats));
    const double p = double(world.size());
    for (std::size_t i = 0; i < n; ++i) {
      const double exact = p * (p + 1) / 2 * double(i) + p * (p - 1) / 2;
      expect(values[i] == exact && floats[i] == float(exact),
             "ring sum of element " + std::to_string(i) + " of " + std::to_string(n));
    }
    expect(same_on_all_ranks(values), "ring: ranks differ");
  }
  if (world.rank() == 0) std::cout << "ring: " << world.size() << " ranks, sums exact\n";
  return failures;
}

}  // namespace

int main(int argc, char** argv) try {
  tn::mpi::Environment mpi(argc, argv);
  tn::set_threads(1);
  const std::string mode = argc > 1 ? argv[1] : "";
  const std::string argument = argc > 2 ? argv[2] : "";
  if (mode == "equivalence") {
    equivalence<Plain, float>("float", 1e-5, false);
    equivalence<Plain, double>("double", 1e-12, false);
    equivalence<Normalised, float>("float, SyncBatchNorm", 1e-5, true);
    equivalence<Normalised, double>("double, SyncBatchNorm", 1e-12, true);
    return failures;
  }
  if (mode == "train") return train(argument);
  if (mode == "fail")
    return argument == "throw-sync"         ? fail<Normalised>(argument)
           : argument == "backward-overlap" ? fail<Poisoned>(argument)
                                            : fail<Plain>(argument);
  if (mode == "overlap") return overlap<float>("float") + overlap<double>("double");
  if (mode == "ring") return ring();
  if (mode == "mismatch") return mismatch(argument);
  std::cerr << "distributed_test: equivalence | train FILE | fail nan|throw|throw-sync|"
               "nan-overlap|throw-overlap|backward-overlap | overlap | ring | "
               "mismatch epochs|train-subset|batch|bucket|network\n";
  return 2;
} catch (const std::exception& error) {
  std::cerr << "distributed_test: " << error.what() << "\n";
  return 1;
}
