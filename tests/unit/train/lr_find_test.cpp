// The learning-rate range test: its files, its suggestion, early stopping, and that it leaves
// the model and the optimiser exactly as they were.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

// Dropout draws from a generator the range test must put back too.
using Net = tn::Sequential<tn::Input<1, 4, 4>, tn::Flatten, tn::Dense<16>, tn::ReLU,
                           tn::Dropout<std::ratio<1, 4>>, tn::Dense<3>>;

// The class is which of the first three columns is brightest.
tn::data::Dataset stripes(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  std::vector<float> images;
  std::vector<int> labels;
  for (std::size_t i = 0; i < count; ++i) {
    const int label = int(rng() % 3);
    for (std::size_t k = 0; k < 16; ++k)
      images.push_back(u(rng) + (k % 4 == std::size_t(label) ? 1.0f : 0.0f));
    labels.push_back(label);
  }
  return tn::data::Dataset::from_arrays(images, labels, 1, 4, 4, 3);
}

std::vector<std::vector<float>> values(tn::Model<Net>& model) {
  std::vector<std::vector<float>> all;
  for (auto* p : model.all_parameters())
    all.emplace_back(p->value.data(), p->value.data() + p->size());
  return all;
}

bool bitwise_equal(const std::vector<std::vector<float>>& a,
                   const std::vector<std::vector<float>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (a[k].size() != b[k].size() ||
        std::memcmp(a[k].data(), b[k].data(), a[k].size() * sizeof(float)) != 0)
      return false;
  return true;
}

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "typenet-lr-find-test";
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace

TEST_CASE("find_learning_rate writes a CSV and an SVG that parse, and suggests a swept rate",
          "[lr_find]") {
  const auto data = stripes(512, 1);
  tn::Model<Net> model{tn::init::He{}, 1, 64};
  tn::optim::SGD sgd{{.lr = 0.1, .momentum = 0.9}};
  const auto csv = scratch("lr.csv"), svg = scratch("lr.svg");
  std::filesystem::remove(csv);
  std::filesystem::remove(svg);
  const auto f = tn::find_learning_rate(
      model, sgd, data,
      {.start = 1e-5, .end = 100, .steps = 150, .batch = 32, .csv = csv, .svg = svg});
  INFO(f);
  REQUIRE(!f.losses.empty());
  REQUIRE(f.learning_rates.size() == f.losses.size());
  REQUIRE(f.smoothed.size() == f.losses.size());

  std::ifstream in(csv);
  std::string line;
  REQUIRE(std::getline(in, line));
  CHECK(line == "step,learning_rate,loss,smoothed_loss");
  std::size_t rows = 0;
  double previous_rate = 0;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    row.imbue(std::locale::classic());
    double step = 0, rate = 0, loss = 0, smoothed = 0;
    char c1 = 0, c2 = 0, c3 = 0;
    row >> step >> c1 >> rate >> c2 >> loss >> c3 >> smoothed;
    REQUIRE(!row.fail());
    CHECK((c1 == ',' && c2 == ',' && c3 == ','));
    CHECK(step == double(rows + 1));
    CHECK(rate > previous_rate);  // exponentially increasing
    CHECK(rate == Approx(f.learning_rates[rows]).epsilon(1e-8));
    CHECK(std::isfinite(loss));
    previous_rate = rate;
    ++rows;
  }
  CHECK(rows == f.losses.size());
  CHECK(f.learning_rates.front() == Approx(1e-5));
  // Each step multiplies the rate by (end / start)^(1 / (steps - 1)).
  CHECK(f.learning_rates[1] / f.learning_rates[0] == Approx(std::pow(1e7, 1.0 / 149)));

  std::ifstream svg_in(svg);
  const std::string text((std::istreambuf_iterator<char>(svg_in)),
                         std::istreambuf_iterator<char>());
  CHECK(text.rfind("<svg", 0) == 0);
  CHECK(text.find("</svg>") != std::string::npos);
  CHECK(text.find("<polyline") != std::string::npos);
  CHECK(text.find("suggested") != std::string::npos);

  CHECK(f.suggested >= f.learning_rates.front());
  CHECK(f.suggested <= f.learning_rates.back());
  CHECK(f.minimum_over_ten >= f.learning_rates.front());
  CHECK(f.minimum_over_ten <= f.learning_rates.back());
  // The loss falls somewhere in the sweep, and the suggestion is before its lowest point.
  CHECK(f.suggested <= f.minimum);
  const double lowest = *std::min_element(f.smoothed.begin(), f.smoothed.end());
  CHECK(lowest < f.smoothed.front());
}

TEST_CASE("find_learning_rate leaves the weights, dropout and the optimiser's state as they were",
          "[lr_find]") {
  const auto data = stripes(256, 2);
  tn::Model<Net> model{tn::init::He{}, 3, 64}, twin{tn::init::He{}, 3, 64};
  tn::optim::Adam adam{{.lr = 1e-2}}, twin_adam{{.lr = 1e-2}};
  tn::Tensor<float, tn::Shape<1, 4, 4>> x(32);
  std::copy(data.images.begin(), data.images.begin() + 32 * 16, x.data());
  const std::span<const int> labels(data.labels.data(), 32);
  // A step first, so that Adam has moments and a step count to keep.
  model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, adam, 1e-2);
  twin.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, twin_adam, 1e-2);
  const auto before = values(model);

  const auto f = tn::find_learning_rate(model, adam, data, {.steps = 100, .batch = 32});
  REQUIRE(f.losses.size() > 10);
  CHECK(bitwise_equal(values(model), before));
  CHECK(adam.steps() == twin_adam.steps());

  // The next step (Adam's moments, the dropout mask) is the one the twin takes.
  model.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, adam, 1e-2);
  twin.train_step(x, labels, tn::loss::SoftmaxCrossEntropy{}, twin_adam, 1e-2);
  CHECK(bitwise_equal(values(model), values(twin)));
}

TEST_CASE("find_learning_rate stops early when the loss diverges", "[lr_find]") {
  const auto data = stripes(256, 4);
  tn::Model<Net> model{tn::init::He{}, 5, 64};
  tn::optim::SGD sgd;
  const auto f = tn::find_learning_rate(model, sgd, data,
                                        {.start = 1e-3, .end = 1e6, .steps = 300, .batch = 32});
  INFO(f);
  CHECK(f.diverged);
  CHECK(f.losses.size() < 300);
  CHECK(!f.stop_reason.empty());
  CHECK(f.learning_rates.back() < 1e6);
  CHECK(f.suggested >= f.learning_rates.front());
  CHECK(f.suggested <= f.learning_rates.back());

  // A whole sweep over small rates does not diverge.
  const auto calm = tn::find_learning_rate(model, sgd, data,
                                           {.start = 1e-6, .end = 1e-3, .steps = 50, .batch = 32});
  CHECK_FALSE(calm.diverged);
  CHECK(calm.losses.size() == 50);
}

TEST_CASE("find_learning_rate refuses bad options, naming them", "[lr_find]") {
  const auto data = stripes(64, 5);
  tn::Model<Net> model{tn::init::He{}, 6, 16};
  tn::optim::SGD sgd;
  const auto before = values(model);
  CHECK_THROWS_WITH(tn::find_learning_rate(model, sgd, data, {.start = 0}),
                    Catch::Contains("find_learning_rate: start is 0"));
  CHECK_THROWS_WITH(tn::find_learning_rate(model, sgd, data, {.start = 1, .end = 0.5}),
                    Catch::Contains("end is 0.5"));
  CHECK_THROWS_WITH(tn::find_learning_rate(model, sgd, data, {.steps = 1}),
                    Catch::Contains("steps is 1"));
  CHECK_THROWS_WITH(tn::find_learning_rate(model, sgd, data, {.smoothing = 1}),
                    Catch::Contains("smoothing is 1"));
  CHECK_THROWS_WITH(tn::find_learning_rate(model, sgd, data, {.divergence = 1}),
                    Catch::Contains("divergence is 1"));
  CHECK_THROWS_WITH(tn::find_learning_rate(model, sgd, data, {.batch = 17}),
                    Catch::Contains("batch 17 is above the model's capacity 16"));
  CHECK(bitwise_equal(values(model), before));
}
