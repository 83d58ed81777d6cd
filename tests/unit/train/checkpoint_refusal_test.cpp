// Checkpoints that do not belong to the run resuming from them, and broken ones: a sentence
// naming the file and what differs, and the model left as it was.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

#include "checkpoint_fixture.hpp"

using namespace checkpoint_fixture;
using Catch::Contains;
using Catch::StartsWith;

namespace {

using Wider = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<5, tn::Kernel<3>>, tn::BatchNorm,
                             tn::ReLU, tn::Flatten, tn::Dropout<std::ratio<1, 4>>, tn::Dense<3>>;
// Net with another dropout rate: the same tensors, another network.
using OtherRate =
    tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::BatchNorm, tn::ReLU,
                   tn::Flatten, tn::Dropout<std::ratio<1, 2>>, tn::Dense<3>>;

// A 2-epoch Adam run's checkpoint.
struct Written {
  Data data;
  fs::path path = temp("refusal.safetensors");
  Written() {
    tn::Model<Net> model{tn::init::He{}, 5, 16};
    tn::optim::Adam adam{{.lr = 0.01}};
    auto opts = options(data);
    opts.epochs = 2;
    opts.checkpoint = {.path = path};
    tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, data.train, opts);
  }
  ~Written() { fs::remove(path); }
  tn::FitOptions resume() const {
    auto opts = options(data);
    opts.resume_from = path;
    return opts;
  }
  std::string bytes() const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

// The same file with one metadata entry changed (or a tensor's bytes, by name).
void rewrite(const fs::path& from, const fs::path& to, const std::string& key,
             const std::string& value, const std::string& tensor = "", std::int64_t first = 0) {
  const auto file = tn::io::Safetensors::read(from);
  std::vector<std::vector<std::byte>> copies;
  copies.reserve(file.tensors().size());
  std::vector<tn::io::TensorView> views;
  for (const auto& t : file.tensors()) {
    const auto data = file.data(t);
    copies.emplace_back(reinterpret_cast<const std::byte*>(data.data()),
                        reinterpret_cast<const std::byte*>(data.data()) + data.size());
    if (t.name == tensor) std::memcpy(copies.back().data(), &first, sizeof first);
    views.push_back({t.name, t.dtype, t.shape, copies.back()});
  }
  auto meta = file.metadata();
  if (!key.empty()) meta[key] = value;
  tn::io::write_safetensors(to, views, meta);
}

}  // namespace

TEST_CASE("A checkpoint of another network is refused, naming both", "[checkpoint]") {
  const Written run;
  tn::Model<Wider> wider{tn::init::He{}, 5, 16};
  tn::optim::Adam adam{{.lr = 0.01}};
  CHECK_THROWS_WITH(
      tn::fit(wider, adam, tn::loss::SoftmaxCrossEntropy{}, run.data.train, run.resume()),
      StartsWith(run.path.string() +
                 ": is a checkpoint of another network: it holds Input 1x8x8 -> Conv2D(4, 3x3)") &&
          Contains("this one is Input 1x8x8 -> Conv2D(5, 3x3)"));
  // Layers without parameters count: the same tensors behind another dropout rate.
  tn::Model<OtherRate> other{tn::init::He{}, 5, 16};
  CHECK_THROWS_WITH(
      tn::fit(other, adam, tn::loss::SoftmaxCrossEntropy{}, run.data.train, run.resume()),
      Contains("is a checkpoint of another network") && Contains("Dropout"));
  tn::Model<Net, double> twin{tn::init::He{}, 5, 16};
  CHECK_THROWS_WITH(
      tn::fit(twin, adam, tn::loss::SoftmaxCrossEntropy{}, run.data.train, run.resume()),
      StartsWith(run.path.string() + ": is a checkpoint of a float network, this one is double"));
}

TEST_CASE("A checkpoint of another optimiser or other hyper-parameters is refused",
          "[checkpoint]") {
  const Written run;
  tn::Model<Net> model{tn::init::He{}, 9, 16};
  const auto before = state_bytes(model);
  tn::optim::SGD sgd{{.lr = 0.01, .momentum = 0.9}};
  CHECK_THROWS_WITH(
      tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, run.data.train, run.resume()),
      run.path.string() +
          ": was written by the optimiser Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08, "
          "weight_decay=0, decoupled=0), this run's is SGD(lr=0.01, momentum=0.9, nesterov=0, "
          "weight_decay=0); resume_from continues the run that wrote the checkpoint: the same "
          "network, scalar type, optimiser and hyper-parameters, batch size and training set");
  tn::optim::Adam beta{{.lr = 0.01, .beta1 = 0.95}};
  CHECK_THROWS_WITH(
      tn::fit(model, beta, tn::loss::SoftmaxCrossEntropy{}, run.data.train, run.resume()),
      StartsWith(run.path.string() +
                 ": was written by Adam with beta1=0.9, this run's Adam has beta1=0.95;"));
  tn::optim::AdamW decoupled{{.lr = 0.01, .weight_decay = 0}};
  CHECK_THROWS_WITH(
      tn::fit(model, decoupled, tn::loss::SoftmaxCrossEntropy{}, run.data.train, run.resume()),
      Contains("the optimiser Adam(") && Contains("this run's is AdamW("));
  CHECK(state_bytes(model) == before);  // refused: nothing changed
}

TEST_CASE("A checkpoint of another batch size or training set is refused", "[checkpoint]") {
  const Written run;
  tn::Model<Net> model{tn::init::He{}, 9, 16};
  tn::optim::Adam adam{{.lr = 0.01}};
  auto opts = run.resume();
  opts.batch = 8;
  CHECK_THROWS_WITH(
      tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, run.data.train, opts),
      StartsWith(run.path.string() +
                 ": was written by a run on 100 training samples in batches of 16, this one has "
                 "100 samples in batches of 8"));
  const auto fewer = run.data.train.head(90);
  CHECK_THROWS_WITH(tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, fewer, run.resume()),
                    Contains("100 training samples in batches of 16, this one has 90 samples"));
}

TEST_CASE("A weight file, a missing, truncated or corrupt checkpoint gives a sentence",
          "[checkpoint]") {
  const Written run;
  tn::Model<Net> model{tn::init::He{}, 9, 16};
  const auto before = state_bytes(model);
  tn::optim::Adam adam{{.lr = 0.01}};
  const auto resume = [&](const fs::path& path) {
    auto opts = run.resume();
    opts.resume_from = path;
    tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, run.data.train, opts);
  };
  const auto weights = temp("weights.safetensors");
  tn::save_weights(model, weights);
  CHECK_THROWS_WITH(resume(weights), weights.string() +
                                         ": is not a typenet checkpoint (its metadata has no "
                                         "typenet.checkpoint); a weight file is read with "
                                         "tn::load_weights");
  CHECK_THROWS_WITH(
      resume(temp("nowhere.safetensors")),
      "fit: cannot resume: " + temp("nowhere.safetensors").string() + ": no such file");

  const auto broken = temp("broken.safetensors");
  const std::string bytes = run.bytes();
  for (std::size_t keep : {bytes.size() - 100, std::size_t(200), std::size_t(5)}) {
    std::ofstream(broken, std::ios::binary).write(bytes.data(), std::streamsize(keep));
    INFO("kept " << keep << " bytes");
    CHECK_THROWS_WITH(resume(broken), StartsWith("fit: cannot resume: " + broken.string() + ": "));
  }
  std::ofstream(broken, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size() - 100));
  CHECK_THROWS_WITH(resume(broken),
                    StartsWith("fit: cannot resume: " + broken.string() + ": tensor '") &&
                        Contains("data bytes (truncated file?)"));
  std::string corrupt = bytes;
  corrupt[8] = 'x';  // the JSON header's opening brace
  std::ofstream(broken, std::ios::binary).write(corrupt.data(), std::streamsize(corrupt.size()));
  CHECK_THROWS_WITH(resume(broken), StartsWith("fit: cannot resume: " + broken.string() + ": "));

  // Valid files whose checkpoint contents lie.
  rewrite(run.path, broken, "typenet.rng.fit", "12 34");
  CHECK_THROWS_WITH(resume(broken),
                    broken.string() + ": 'typenet.rng.fit' is not the state of a std::mt19937_64");
  rewrite(run.path, broken, "typenet.epoch", "two");
  CHECK_THROWS_WITH(resume(broken), broken.string() + ": 'typenet.epoch' is 'two', not a count");
  rewrite(run.path, broken, "typenet.epoch", "3");
  CHECK_THROWS_WITH(resume(broken),
                    broken.string() + ": 'typenet.history' has 2 epochs, 'typenet.epoch' says 3");
  rewrite(run.path, broken, "", "", "fit.shuffle_order", 1000);
  CHECK_THROWS_WITH(resume(broken), broken.string() +
                                        ": tensor 'fit.shuffle_order' is not a permutation of the "
                                        "100 samples (element 0 is 1000)");
  rewrite(run.path, broken, "", "", "optimizer.0.weight.step", -3);
  CHECK_THROWS_WITH(
      resume(broken),
      broken.string() + ": tensor 'optimizer.0.weight.step' is not a step count (one I64 >= 0)");
  rewrite(run.path, broken, "typenet.rng.dropout.4", "");
  CHECK_THROWS_WITH(resume(broken), Contains("'typenet.rng.dropout.4' is not the state"));
  CHECK(state_bytes(model) == before);  // every refusal came before any change
  fs::remove(weights);
  fs::remove(broken);
}

TEST_CASE("A checkpoint path that cannot be written is refused before the first step",
          "[checkpoint]") {
  // Under a regular file (a newcomer's "afile/c.safetensors": a bare filesystem_error once), a
  // directory in the way, /proc: each was found only after the first epoch's training.
  const fs::path file = temp("not-a-folder"), folder = temp("a-folder");
  std::ofstream(file) << "x";
  fs::create_directories(folder);
  const std::vector<std::pair<fs::path, std::string>> cases{
      {file / "c.safetensors", "cannot create " + file.string() + " ("},
      {file / "sub" / "c.safetensors", "cannot create " + (file / "sub").string() + " ("},
      {folder, "is a directory"},
      {"/proc/typenet-checkpoint.safetensors", "cannot create a file in /proc ("}};
  for (const auto& [path, why] : cases) {
    INFO(path.string());
    Data data;
    tn::Model<Net> model{tn::init::He{}, 5, 16};
    const auto before = state_bytes(model);
    tn::optim::Adam adam;
    std::ostringstream progress;
    auto opts = options(data);
    opts.checkpoint = {.path = path};
    opts.progress = &progress;
    opts.quiet = false;
    try {
      tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, data.train, opts);
      FAIL("fit did not throw");
    } catch (const tn::FitError& error) {
      FAIL("found after training: " << error.what());
    } catch (const std::runtime_error& error) {
      CHECK_THAT(error.what(),
                 StartsWith("fit: cannot write the checkpoint: " + path.string() + ": " + why));
    }
    CHECK(state_bytes(model) == before);  // not a step taken
    CHECK(progress.str().empty());
  }
  CHECK(fs::is_empty(folder));  // no probe left behind
  fs::remove(file);
  fs::remove(folder);
}

TEST_CASE("Resuming a checkpoint of more epochs than asked is refused, of as many is a notice",
          "[checkpoint]") {
  const Written run;  // 2 epochs
  tn::Model<Net> model{tn::init::He{}, 9, 16};
  const auto before = state_bytes(model);
  tn::optim::Adam adam{{.lr = 0.01}};
  std::size_t trained = 0;
  auto opts = run.resume();
  opts.on_epoch = [&](const tn::EpochRecord&) { ++trained; };
  opts.epochs = 1;
  CHECK_THROWS_AS(tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, run.data.train, opts),
                  tn::io::WeightsError);
  CHECK_THROWS_WITH(tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, run.data.train, opts),
                    run.path.string() +
                        ": holds 2 finished epochs, more than this run's epochs = 1; resume "
                        "with epochs = 2 or more, or start a new run from its weights "
                        "(load_weights)");
  CHECK(state_bytes(model) == before);  // refused: nothing changed
  // As many: the run is complete. fit says so (it used to return without a word) and returns
  // the checkpoint's model and history, as a re-submitted finished job expects.
  std::ostringstream progress;
  opts.epochs = 2;
  opts.progress = &progress;
  opts.quiet = false;
  const auto history = tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, run.data.train, opts);
  CHECK(progress.str() == "fit: " + run.path.string() +
                              " already holds 2 finished epochs and this run asks for 2 in all: "
                              "nothing is left to train (more epochs continue the run)\n");
  CHECK(history.epochs.size() == 2);
  CHECK(trained == 0);
  tn::Model<Net> saved{tn::init::He{}, 9, 16};
  tn::load_weights(saved, run.path);
  CHECK(state_bytes(model) == state_bytes(saved));
}
