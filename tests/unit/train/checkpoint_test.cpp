// Checkpoints and exact resume: a run killed after epoch 2 of 4 and resumed in a fresh model and
// optimiser ends bit for bit where the uninterrupted run ends.
#include <catch2/catch.hpp>

#include "checkpoint_fixture.hpp"

using namespace checkpoint_fixture;

namespace {

// Runs 4 epochs straight; runs them again with checkpoints, killed after epoch 2; resumes in a
// fresh model (another initialisation seed) and optimiser; compares.
template <class T, class MakeOptimizer>
void check_exact_resume(MakeOptimizer make, const std::string& name,
                        tn::EarlyStopping early_stopping = {}) {
  const Data data;
  const auto path = temp(name + "/run/checkpoint.safetensors");  // directories created by fit
  auto opts = options(data);
  opts.early_stopping = early_stopping;

  tn::Model<Net, T> straight{tn::init::He{}, 5, 16};
  auto straight_optimizer = make();
  const auto expected =
      tn::fit(straight, straight_optimizer, tn::loss::SoftmaxCrossEntropy{}, data.train, opts);
  REQUIRE(expected.epochs.size() == 4);

  tn::Model<Net, T> killed{tn::init::He{}, 5, 16};
  auto killed_optimizer = make();
  auto with_checkpoints = opts;
  with_checkpoints.checkpoint = {.path = path, .every_epochs = 1};
  with_checkpoints.on_epoch = [](const tn::EpochRecord& r) {
    if (r.epoch == 2) throw Killed{};
  };
  REQUIRE_THROWS_AS(tn::fit(killed, killed_optimizer, tn::loss::SoftmaxCrossEntropy{}, data.train,
                            with_checkpoints),
                    Killed);
  const auto file = tn::io::Safetensors::read(path);
  CHECK(file.metadata().at("typenet.epoch") == "2");
  // With restore_best, the best epoch's weights travel too.
  CHECK((file.find("fit.best.0.weight") != nullptr) ==
        (early_stopping.patience > 0 && early_stopping.restore_best));

  tn::Model<Net, T> fresh{tn::init::He{}, 77, 16};
  REQUIRE(state_bytes(fresh) != state_bytes(straight));
  auto fresh_optimizer = make();
  auto resume = opts;
  resume.checkpoint = {.path = path};
  resume.resume_from = path;
  const auto resumed =
      tn::fit(fresh, fresh_optimizer, tn::loss::SoftmaxCrossEntropy{}, data.train, resume);

  CHECK(history_bytes(resumed) == history_bytes(expected));
  CHECK(state_bytes(fresh) == state_bytes(straight));
  CHECK(tn::io::Safetensors::read(path).metadata().at("typenet.epoch") == "4");
  fs::remove_all(temp(name));
}

}  // namespace

TEST_CASE("A run killed after epoch 2 of 4 resumes bitwise: Adam, float", "[checkpoint]") {
  check_exact_resume<float>([] { return tn::optim::Adam{{.lr = 0.01, .weight_decay = 1e-4}}; },
                            "adam-float");
}

TEST_CASE("A run killed after epoch 2 of 4 resumes bitwise: SGD with Nesterov momentum",
          "[checkpoint]") {
  check_exact_resume<float>(
      [] { return tn::optim::SGD{{.lr = 0.05, .momentum = 0.9, .nesterov = true}}; }, "sgd-float");
}

TEST_CASE("A run killed after epoch 2 of 4 resumes bitwise: RMSProp and AdaGrad", "[checkpoint]") {
  check_exact_resume<float>([] { return tn::optim::RMSProp{{.lr = 0.005}}; }, "rmsprop");
  check_exact_resume<float>([] { return tn::optim::AdaGrad{{.lr = 0.05}}; }, "adagrad");
}

TEST_CASE("A run killed after epoch 2 of 4 resumes bitwise: double", "[checkpoint]") {
  check_exact_resume<double>([] { return tn::optim::Adam{{.lr = 0.01}}; }, "adam-double");
  check_exact_resume<double>([] { return tn::optim::SGD{{.lr = 0.05, .momentum = 0.9}}; },
                             "sgd-double");
}

TEST_CASE("Resume restores early stopping's best weights and counters", "[checkpoint]") {
  // Patience 3 never stops within 4 epochs here, but the best epoch's weights (restore_best)
  // and the epochs waited must cross the interruption.
  check_exact_resume<float>([] { return tn::optim::AdamW{{.lr = 0.05}}; }, "early-stopping",
                            {.patience = 3, .restore_best = true});
}

TEST_CASE("A checkpoint holds the optimiser's state under the parameters' names", "[checkpoint]") {
  const Data data;
  const auto path = temp("names.safetensors");
  tn::Model<Net> model{tn::init::He{}, 5, 16};
  tn::optim::Adam adam{{.lr = 0.01}};
  auto opts = options(data);
  opts.epochs = 1;
  opts.checkpoint = {.path = path};
  tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, data.train, opts);
  const auto file = tn::io::Safetensors::read(path);
  for (const std::string parameter :
       {"0.weight", "0.bias", "1.weight", "1.bias", "5.weight", "5.bias"}) {
    INFO(parameter);
    CHECK(file.find(parameter) != nullptr);
    const auto* m = file.find("optimizer." + parameter + ".exp_avg");
    const auto* v = file.find("optimizer." + parameter + ".exp_avg_sq");
    const auto* step = file.find("optimizer." + parameter + ".step");
    REQUIRE(m != nullptr);
    REQUIRE(v != nullptr);
    REQUIRE(step != nullptr);
    CHECK(m->shape == file.find(parameter)->shape);
    CHECK(file.integer(*step) == 7);  // 100 samples in batches of 16
  }
  CHECK(file.find("1.running_var") != nullptr);
  CHECK(file.find("fit.shuffle_order")->shape == std::vector<std::size_t>{100});
  const auto& meta = file.metadata();
  CHECK(meta.at("typenet.optimizer") ==
        "Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0, decoupled=0)");
  CHECK(meta.at("typenet.global_step") == "7");
  CHECK(meta.count("typenet.rng.fit") == 1);
  CHECK(meta.count("typenet.rng.dropout.4") == 1);  // the Dropout layer's generator
  CHECK(meta.at("typenet.history").rfind("1,", 0) == 0);

  // Its weights are a weight file too: load_weights takes them, strictly.
  tn::Model<Net> other{tn::init::He{}, 9, 16};
  const auto report = tn::load_weights(other, path);
  CHECK(report.loaded.size() == 9);
  CHECK(report.unexpected.empty());
  CHECK(state_bytes(other) == state_bytes(model));
  fs::remove(path);
}

TEST_CASE("Checkpoints are written every N epochs and after the last", "[checkpoint]") {
  const Data data;
  const auto path = temp("every.safetensors");
  tn::Model<Net> model{tn::init::He{}, 5, 16};
  tn::optim::SGD sgd{{.lr = 0.05, .momentum = 0.5}};
  auto opts = options(data);
  opts.epochs = 3;
  opts.checkpoint = {.path = path, .every_epochs = 2};
  std::vector<std::string> written;
  opts.on_epoch = [&](const tn::EpochRecord&) {
    written.push_back(
        fs::exists(path) ? tn::io::Safetensors::read(path).metadata().at("typenet.epoch") : "none");
  };
  tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data.train, opts);
  CHECK(written == std::vector<std::string>{"none", "2", "3"});
  opts.checkpoint.every_epochs = 0;
  CHECK_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data.train, opts),
                    "fit: checkpoint.every_epochs is 0; it must be 1 or more");
  fs::remove(path);
}
