// Checkpoints of data-parallel training, run by CTest under mpirun -np 2 (tests/CMakeLists.txt):
//   checkpoint_test same DIR      2 ranks stopped after epoch 2 of 4, resumed on 2: bitwise
//   checkpoint_test fewer DIR     a 2-rank checkpoint resumed by 1 process (global batch kept)
//   checkpoint_test more DIR      a 1-process checkpoint resumed by 2 ranks
//   checkpoint_test failures DIR  a corrupt file, a file missing on rank 1, rank 0 unable to
//                                 write (found before the first step, or after an epoch),
//                                 another global batch: every rank stops with the message
// Each prints its figures and exits non-zero when a check fails.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common.hpp"

namespace fs = std::filesystem;

namespace {

using Plain = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU,
                             tn::Flatten, tn::Dense<16>, tn::ReLU, tn::Dense<4>>;
using WithDropout = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::BatchNorm,
                                   tn::ReLU, tn::Flatten, tn::Dropout<std::ratio<1, 5>>,
                                   tn::Dense<16>, tn::ReLU, tn::Dense<4>>;

struct Killed {};  // the process "dies" after an epoch

void barrier() {
  std::int64_t one = 1;
  tn::mpi::world().allreduce_sum(std::span(&one, 1));
}

// on_epoch that stops the run after `epoch` (a checkpoint of it is on disk by then).
std::function<void(const tn::EpochRecord&)> kill_after(std::size_t epoch) {
  return [epoch](const tn::EpochRecord& r) {
    if (r.epoch == epoch) throw Killed{};
  };
}

// Everything of a history but the wall-clock figures, as bits.
std::vector<double> figures(const tn::History& h) {
  std::vector<double> all;
  for (const auto& r : h.epochs)
    all.insert(all.end(), {double(r.epoch), r.train_loss, r.train_accuracy, r.validation_loss,
                           r.validation_accuracy, r.learning_rate});
  all.insert(all.end(), {double(h.best_epoch), double(h.stopped_early)});
  return all;
}
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// The largest relative difference of a tensor of `model`'s, max |a - b| / max |b|.
template <class Net, class T>
double worst_difference(tn::Model<Net, T>& model, const std::vector<T>& a,
                        const std::vector<T>& b) {
  double worst = 0;
  std::size_t at = 0;
  for (auto* p : model.all_parameters()) {
    double difference = 0, scale = 0;
    for (std::size_t i = at; i < at + p->size(); ++i) {
      difference = std::max(difference, std::abs(double(a[i]) - double(b[i])));
      scale = std::max(scale, std::abs(double(b[i])));
    }
    worst = std::max(worst, difference / std::max(scale, 1e-30));
    at += p->size();
  }
  return worst;
}

// 2 ranks x batch 4 of 4 epochs with Dropout, BatchNorm, augmentation and validation, stopped
// after epoch 2 and resumed on 2 ranks from fresh models: the same bits as the run that went on.
int same(const fs::path& dir) {
  auto& world = tn::mpi::world();
  const auto parts = tn::data::split(synthetic(640), 0.8, 5);
  const auto& train = parts.first;  // a reference the lambdas below can capture
  const auto noise = [](std::span<float> image, std::mt19937_64& rng) {
    std::normal_distribution<float> normal(0, 0.1f);
    for (auto& v : image) v += normal(rng);
  };
  const auto checkpoint = dir / "checkpoint.safetensors";
  tn::FitOptions options{.epochs = 4,
                         .batch = 16,
                         .validation = parts.second,
                         .augment = noise,
                         .quiet = true,
                         .distributed = {.communicator = &world}};
  const auto run = [&](tn::FitOptions o, std::uint64_t init) {
    tn::Model<WithDropout> model{tn::init::He{}, init, 16};
    tn::optim::Adam adam{{.lr = 1e-2}};
    const auto history = tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, train, o);
    return std::pair(flat(model), figures(history));
  };
  const auto [reference, reference_history] = run(options, 11);
  auto stopped = options;
  stopped.checkpoint = {.path = checkpoint};
  stopped.on_epoch = kill_after(2);
  bool killed = false;
  try {
    run(stopped, 11);
  } catch (const Killed&) {
    killed = true;
  }
  expect(killed, "the first run was not stopped");
  if (world.rank() == 0) {
    const auto meta = tn::io::Safetensors::read(checkpoint).metadata();
    expect(meta.at("typenet.epoch") == "2" && meta.at("typenet.processes") == "2",
           "the checkpoint's epoch or processes");
    for (const char* key : {"typenet.rng.rank0.augment", "typenet.rng.rank1.augment"})
      expect(meta.count(key) == 1, std::string("the checkpoint has no ") + key);
    std::size_t dropout = 0;
    for (const auto& [key, value] : meta) {
      const std::string rank0 = "typenet.rng.rank0.dropout.";
      if (key.rfind(rank0, 0) != 0) continue;
      const auto other = meta.find("typenet.rng.rank1.dropout." + key.substr(rank0.size()));
      expect(other != meta.end() && other->second != value,
             "rank 1's stream of " + key + " is missing or rank 0's");
      ++dropout;
    }
    expect(dropout == 1, "the checkpoint holds " + std::to_string(dropout) + " Dropout streams");
    for (const auto& entry : meta)
      expect(entry.first.rfind("typenet.rng.dropout.", 0) != 0, "a stream without its rank");
  }
  auto resumed = options;
  resumed.checkpoint = {.path = checkpoint};
  resumed.resume_from = checkpoint;
  const auto [values, history] = run(resumed, 100 + world.rank());  // other weights: replaced
  expect(std::memcmp(values.data(), reference.data(), values.size() * sizeof(float)) == 0,
         "the resumed run's weights differ from the uninterrupted run's");
  expect(same_bits(history, reference_history), "the resumed run's history differs");
  expect(same_on_all_ranks(values), "the ranks' weights differ");
  if (world.rank() == 0)
    std::cout << "same: 2 ranks stopped after epoch 2 of 4 and resumed on 2: " << values.size()
              << " values and the history bitwise equal to the uninterrupted run's\n";
  return failures;
}

// 4 epochs of SGD with momentum on `processes` (1: rank 0 alone, the other waits) of batch
// 64 / processes, optionally stopped after epoch 2 or resumed; returns the values and history.
template <class T>
std::pair<std::vector<T>, tn::History> run_plain(std::size_t processes, const fs::path& write,
                                                 const fs::path& resume, bool stop,
                                                 std::ostream* progress = nullptr) {
  auto& world = tn::mpi::world();
  std::pair<std::vector<T>, tn::History> result;
  if (processes == 1 && world.rank() != 0) return result;
  tn::Model<Plain, T> model{tn::init::He{}, 3, 64};
  tn::optim::SGD sgd{{.lr = 0.05, .momentum = 0.9}};
  tn::FitOptions options{.epochs = 4,
                         .batch = 64 / processes,
                         .seed = 7,
                         .checkpoint = {.path = write},
                         .resume_from = resume,
                         .progress = progress,
                         .quiet = progress == nullptr};
  if (stop) options.on_epoch = kill_after(2);
  if (processes > 1) options.distributed = {.communicator = &world};
  try {
    result.second = tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, synthetic(), options);
  } catch (const Killed&) {
  }
  result.first = flat(model);
  return result;
}

// Resumed on another number of processes: within the equivalence test's tolerance of the
// uninterrupted runs (the sums round differently), epochs 1 and 2 restored exactly.
template <class T>
void other_count(const fs::path& dir, std::size_t written, std::size_t resuming, double tolerance) {
  auto& world = tn::mpi::world();
  const auto name = std::string(std::is_same_v<T, float> ? "float" : "double");
  const auto checkpoint = dir / (name + ".safetensors");
  auto [two_values, two] = run_plain<T>(2, {}, {}, false);
  auto [one_values, one] = run_plain<T>(1, {}, {}, false);
  run_plain<T>(written, checkpoint, {}, true);
  barrier();  // the file is complete for everyone
  std::ostringstream progress;
  auto [values, history] = run_plain<T>(resuming, {}, checkpoint, false, &progress);
  if (world.rank() != 0) return;
  tn::Model<Plain, T> shape{tn::init::He{}, 3, 64};
  const double to_two = worst_difference(shape, values, two_values);
  const double to_one = worst_difference(shape, values, one_values);
  const auto& h = history.epochs;
  const auto& reference = (written == 2 ? two : one).epochs;
  bool restored = h.size() == 4;
  for (std::size_t e = 0; restored && e < 2; ++e)
    restored = h[e].train_loss == reference[e].train_loss &&
               h[e].train_accuracy == reference[e].train_accuracy;
  const double loss =
      std::abs(h.back().train_loss - two.epochs.back().train_loss) / two.epochs.back().train_loss;
  std::cout << name << ": a " << written << "-process checkpoint of epoch 2 resumed on " << resuming
            << " (global batch 64), after epoch 4: max relative difference " << to_two
            << " to the uninterrupted 2-rank run, " << to_one
            << " to the 1-process run, training loss " << loss << "\n";
  expect(to_two < tolerance && to_one < tolerance && loss < tolerance,
         name + ": the resumed run is beyond the tolerance");
  expect(restored, name + ": epochs 1 and 2 are not the checkpoint's");
  const std::string notice = "fit: resuming a checkpoint of " + std::to_string(written) +
                             " process" + (written == 1 ? "" : "es") + " on " +
                             std::to_string(resuming) + ": ";
  expect(progress.str().find(notice) == 0, name + ": the notice: " + progress.str());
}

// Every rank throws; returns its message, after checking that the ranks' messages are the
// same and that stopping took seconds, not a hang.
template <class Error>
std::string stops_everywhere(const std::string& what, const std::function<void()>& run) {
  auto& world = tn::mpi::world();
  const auto start = std::chrono::steady_clock::now();
  std::string message = "no " + what + " error";
  try {
    run();
  } catch (const Error& error) {
    message = error.what();
  } catch (const std::exception& error) {
    message = std::string("another exception: ") + error.what();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  expect(seconds < 20, what + ": stopping took " + std::to_string(seconds) + " s");
  std::int64_t length = std::int64_t(message.size());
  world.broadcast(std::span(&length, 1), 0);
  std::string first(std::size_t(length), ' ');
  if (world.rank() == 0) first = message;
  world.broadcast(std::span(first.data(), first.size()), 0);
  expect(first == message, what + ": the ranks' messages differ: " + message);
  if (world.rank() == 0) std::cout << what << ": every rank stopped: " << message << "\n";
  return message;
}

int failures_everywhere(const fs::path& dir) {
  auto& world = tn::mpi::world();
  const auto data = synthetic(256);
  const auto good = dir / "good.safetensors", corrupt = dir / "corrupt.safetensors";
  tn::FitOptions options{
      .epochs = 1, .batch = 16, .quiet = true, .distributed = {.communicator = &world}};
  tn::Model<Plain> model{tn::init::He{}, 3, 32};
  tn::optim::SGD sgd{{.lr = 0.05, .momentum = 0.9}};
  const auto fit = [&](tn::FitOptions o) {
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data, o);
  };
  auto write = options;
  write.checkpoint = {.path = good};
  fit(write);
  if (world.rank() == 0) {  // half the file: its tensors run past its end
    fs::copy_file(good, corrupt, fs::copy_options::overwrite_existing);
    fs::resize_file(corrupt, fs::file_size(good) / 2);
  }
  barrier();
  const auto before = flat(model);
  auto resume = options;
  resume.epochs = 2;
  resume.resume_from = corrupt;
  auto message =
      stops_everywhere<tn::io::WeightsError>("a corrupt checkpoint", [&] { fit(resume); });
  expect(message.find("rank 0 of 2 (and 1 more): fit: cannot resume: ") == 0 &&
             message.find(corrupt.filename().string()) != std::string::npos,
         "corrupt: " + message);

  resume.resume_from = world.rank() == 1 ? dir / "missing.safetensors" : good;
  message = stops_everywhere<tn::io::WeightsError>("a checkpoint missing on rank 1",
                                                   [&] { fit(resume); });
  expect(message.find("rank 1 of 2: fit: cannot resume: ") == 0, "missing: " + message);
  expect(flat(model) == before, "a refused resume changed the weights");

  resume.resume_from = good;
  resume.batch = 8;
  message = stops_everywhere<tn::io::WeightsError>("another global batch", [&] { fit(resume); });
  expect(message.find("in batches of 16 on each of 2 processes (a global batch of 32), this one "
                      "has 256 samples in batches of 8 on each of 2 processes (a global batch "
                      "of 16); on 2 processes, a batch of 16 per process keeps its global "
                      "batch") != std::string::npos,
         "global batch: " + message);

  // Rank 0 cannot write the checkpoint: found before the first step (it was found after the
  // first epoch), every rank stops with rank 0's message, no weight changed.
  const auto once_in = [](const std::string& message, const std::string& text) {
    const auto at = message.find(text);
    return at != std::string::npos && message.find(text, at + 1) == std::string::npos;
  };
  auto unwritable = options;
  const auto refused_up_front = [&](const std::string& what, const fs::path& path,
                                    const std::string& why) {
    unwritable.checkpoint = {.path = path};
    const auto weights = flat(model);
    message = stops_everywhere<std::runtime_error>(what, [&] {
      try {
        fit(unwritable);
      } catch (const tn::FitError& error) {  // after training: too late
        throw std::logic_error(error.what());
      }
    });
    expect(message.find("rank 0 of 2: fit: cannot write the checkpoint: " + path.string() + ": " +
                        why) == 0 &&
               once_in(message, "cannot write the checkpoint") &&
               once_in(message, path.filename().string()),
           what + ": " + message);
    expect(flat(model) == weights, what + ": the weights changed");
  };
  refused_up_front("a directory in the way", dir, "is a directory");
  const auto file = dir / "a-file";
  if (world.rank() == 0) std::ofstream(file) << "x";
  barrier();
  refused_up_front("a folder that cannot be made", file / "checkpoint.safetensors",
                   "cannot create " + file.string() + " (");
  refused_up_front("/proc", "/proc/typenet-checkpoint.safetensors",
                   "cannot create a file in /proc (");

  // Writable before the epoch, not after it (a directory appears in the way during epoch 1, as
  // a full disk would): every rank stops after the epoch with the message.
  const auto late = dir / "late.safetensors";
  unwritable.checkpoint = {.path = late};
  unwritable.augment = [&](std::span<float>, std::mt19937_64&) {
    if (world.rank() == 0 && !fs::exists(late)) fs::create_directory(late);
  };
  message = stops_everywhere<tn::FitError>("rank 0 cannot write after the epoch",
                                           [&] { fit(unwritable); });
  expect(message == "fit: epoch 1, step 8 of 8: rank 0 of 2: cannot write the checkpoint: " +
                        late.string() + ": is a directory",
         "unwritable after the epoch: " + message);
  return failures;
}

}  // namespace

int main(int argc, char** argv) try {
  tn::mpi::Environment mpi(argc, argv);
  tn::set_threads(1);
  const std::string mode = argc > 1 ? argv[1] : "";
  const fs::path dir = fs::path(argc > 2 ? argv[2] : "mpi-checkpoint") / mode;
  if (tn::mpi::world().rank() == 0) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  barrier();
  if (mode == "same") return same(dir);
  if (mode == "fewer" || mode == "more") {
    const std::size_t written = mode == "fewer" ? 2 : 1, resuming = 3 - written;
    other_count<float>(dir, written, resuming, 1e-5);
    other_count<double>(dir, written, resuming, 1e-12);
    return failures;
  }
  if (mode == "failures") return failures_everywhere(dir);
  std::cerr << "checkpoint_test: same | fewer | more | failures, then a folder\n";
  return 2;
} catch (const std::exception& error) {
  std::cerr << "checkpoint_test: " << error.what() << "\n";
  return 1;
}
