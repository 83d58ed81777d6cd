// The training report folder: every PNG decodes to the size the layout gives, the page refers to
// exactly the files written, its confusion matrix is evaluate's, and bad folders are refused.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;
namespace fs = std::filesystem;

namespace {

using Conv = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU, tn::Flatten,
                            tn::Dense<3>>;
using Dense = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<3>>;
using layout = tn::report_layout;

// The class is which third of the image is brightest, under noise.
tn::data::Dataset thirds(std::size_t count, std::uint64_t seed) {
  tn::data::Dataset d;
  d.channels = 1;
  d.height = d.width = 8;
  d.classes = 3;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  for (std::size_t i = 0; i < count; ++i) {
    const int label = int(rng() % 3);
    for (std::size_t k = 0; k < 64; ++k)
      d.images.push_back(u(rng) + ((k % 8) / 3 == std::size_t(label) ? 0.5f : 0.0f));
    d.labels.push_back(label);
  }
  return d;
}

struct Folder {
  fs::path path;
  explicit Folder(const std::string& name)
      : path(fs::temp_directory_path() /
             ("typenet-report-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(path);
  }
  ~Folder() { fs::remove_all(path); }
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every file src=, href= or url(...) names in the page.
std::set<std::string> references(const std::string& html) {
  std::set<std::string> out;
  const std::regex reference(R"re((?:src|href)="([^"]+)"|url\(([^)]+)\))re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), reference);
       it != std::sregex_iterator(); ++it)
    out.insert((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
  return out;
}

std::set<std::string> files(const fs::path& folder) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(folder))
    out.insert(entry.path().filename().string());
  return out;
}

// Each reference is a file of the folder, and each file but the page itself is referenced.
void check_references(const fs::path& folder) {
  const auto html = read(folder / "index.html");
  const auto named = references(html);
  for (const auto& name : named) {
    INFO(name);
    CHECK(fs::is_regular_file(folder / name));
  }
  for (const auto& name : files(folder)) {
    if (name == "index.html") continue;
    INFO(name);
    CHECK(named.count(name) == 1);
  }
}

std::size_t grid_side(std::size_t tiles, std::size_t tile, std::size_t gap = layout::gap) {
  return tiles * tile + (tiles - 1) * gap;
}

}  // namespace

TEST_CASE("write_report: its PNGs decode to the layout's sizes and the page refers to each file",
          "[report]") {
  Folder folder("files");
  const auto data = thirds(60, 1), training = thirds(20, 2);
  tn::Model<Conv> model{tn::init::He{}, 1, 16};
  tn::History history;
  history.epochs.push_back({.epoch = 1, .train_loss = 1, .train_accuracy = 0.5});
  const tn::ReportOptions options{.training = std::cref(training),
                                  .augment = tn::data::augment::HorizontalFlip{0.5, 1, 8, 8},
                                  .class_names = {"left", "middle", "right"},
                                  .title = "tiny <conv>",
                                  .samples = 3,
                                  .draws = 2};
  tn::write_report(folder.path, model, history, data, options);
  check_references(folder.path);
  // With a Conv2D and image samples, every file of report_file_names and no other (programs
  // that write beside the report check against that list).
  CHECK(files(folder.path) ==
        std::set<std::string>(std::begin(tn::report_file_names), std::end(tn::report_file_names)));
  const auto evaluation = tn::evaluate(model, data);

  const auto heat = tn::data::read_image(folder.path / "confusion.png");
  CHECK(heat.channels == 3);
  CHECK(heat.width == 3 * layout::confusion_cell);
  CHECK(heat.height == 3 * layout::confusion_cell);

  // Four 3x3 filters of one channel: one tile each, in a row, zoomed to about filter_side.
  const auto filters = tn::data::read_image(folder.path / "filters.png");
  const std::size_t zoom = layout::filter_side / 3, tile = 3 * zoom;
  CHECK(filters.channels == 1);
  CHECK(filters.width == grid_side(4, tile, layout::filter_gap));
  CHECK(filters.height == tile);
  // Each tile is its filter scaled from its minimum (black) to its maximum (white).
  const float* weight = model.network().parameters()[0]->value.data();
  for (std::size_t f = 0; f < 4; ++f) {
    const float* w = weight + 9 * f;
    const auto [low, high] = std::minmax_element(w, w + 9);
    for (std::size_t p = 0; p < 9; ++p) {
      const std::size_t y = (p / 3) * zoom, x = f * (tile + layout::filter_gap) + (p % 3) * zoom;
      CHECK(filters.at(0, y, x) == Approx((w[p] - *low) / (*high - *low)).margin(1.0 / 255));
    }
  }

  // The first misclassified samples, in rows of `columns` 2x-zoomed tiles.
  std::size_t right = 0;
  for (std::size_t c = 0; c < 3; ++c) right += evaluation.confusion[c][c];
  const std::size_t wrong = std::min(data.size() - right, options.misclassified);
  REQUIRE(wrong > 0);  // an untrained model
  const auto misclassified = tn::data::read_image(folder.path / "misclassified.png");
  const std::size_t columns = std::min(wrong, layout::columns);
  const std::size_t rows = (wrong + layout::columns - 1) / layout::columns;
  CHECK(misclassified.width == grid_side(columns, 8 * layout::zoom));
  CHECK(misclassified.height == grid_side(rows, 8 * layout::zoom));

  // Three training images, each followed by two augmented draws.
  const auto inputs = tn::data::read_image(folder.path / "inputs.png");
  CHECK(inputs.width == grid_side(3, 8 * layout::zoom));
  CHECK(inputs.height == grid_side(3, 8 * layout::zoom));

  // The page's counts are evaluate's, row by row, and its names are escaped.
  const auto html = read(folder.path / "index.html");
  const std::regex count(R"re(<td class="c"[^>]*>(\d+)</td>)re");
  std::vector<std::size_t> counts, expected;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), count);
       it != std::sregex_iterator(); ++it)
    counts.push_back(std::stoul((*it)[1].str()));
  for (const auto& row : evaluation.confusion)
    expected.insert(expected.end(), row.begin(), row.end());
  CHECK(counts == expected);
  CHECK(html.find("tiny &lt;conv&gt;") != std::string::npos);
  CHECK(html.find("middle") != std::string::npos);
  CHECK(html.find("0.weight") != std::string::npos);
}

TEST_CASE("write_report: a network without Conv2D has no filters.png, and the page says so",
          "[report]") {
  Folder folder("dense");
  const auto data = thirds(30, 3);
  tn::History history;
  tn::Model<Conv> conv{tn::init::He{}, 1, 16};
  tn::write_report(folder.path, conv, history, data);
  REQUIRE(fs::exists(folder.path / "filters.png"));
  // The same folder again, for a network without convolution: the old picture goes too.
  tn::Model<Dense> dense{tn::init::He{}, 1, 16};
  tn::write_report(folder.path, dense, history, data);
  CHECK_FALSE(fs::exists(folder.path / "filters.png"));
  CHECK(read(folder.path / "index.html").find("no Conv2D") != std::string::npos);
  check_references(folder.path);
}

TEST_CASE("write_report: the first Conv2D is found inside a Block, before a later one",
          "[report]") {
  using Nested =
      tn::Sequential<tn::Input<1, 8, 8>, tn::Block<tn::Conv2D<2, tn::Kernel<3>>, tn::ReLU>,
                     tn::Conv2D<5, tn::Kernel<3>>, tn::Flatten, tn::Dense<3>>;
  Folder folder("nested");
  tn::Model<Nested> model{tn::init::He{}, 1, 16};
  tn::write_report(folder.path, model, tn::History{}, thirds(20, 6));
  const auto filters = tn::data::read_image(folder.path / "filters.png");
  const std::size_t tile = 3 * (layout::filter_side / 3);
  CHECK(filters.width == grid_side(2, tile, layout::filter_gap));
  CHECK(filters.height == tile);
  CHECK(read(folder.path / "index.html").find("<code>0.0.weight</code>: 2 filters") !=
        std::string::npos);
}

TEST_CASE("fit with .report writes it on the validation set, and refuses a bad folder first",
          "[report]") {
  const auto train = thirds(64, 4), validation = thirds(24, 5);
  tn::Model<Conv> model{tn::init::He{}, 1, 16};
  tn::optim::Adam optimizer{{.lr = 1e-2}};
  std::size_t epochs = 0;
  // fit with a report folder it must refuse: the message (a failure if it trained instead).
  const auto refusal = [&](const fs::path& report) -> std::string {
    try {
      tn::fit(model, optimizer, tn::loss::SoftmaxCrossEntropy{}, train,
              {.epochs = 2,
               .batch = 16,
               .quiet = true,
               .on_epoch = [&](const tn::EpochRecord&) { ++epochs; },
               .report = {.folder = report}});
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    FAIL("fit did not throw");
    return {};
  };
  SECTION("written") {
    Folder folder("fit");
    tn::fit(model, optimizer, tn::loss::SoftmaxCrossEntropy{}, train,
            {.epochs = 2,
             .batch = 16,
             .validation = std::cref(validation),
             .quiet = true,
             .on_epoch = [&](const tn::EpochRecord&) { ++epochs; },
             .report = {.folder = folder.path}});
    CHECK(epochs == 2);
    check_references(folder.path);
    const auto html = read(folder.path / "index.html");
    CHECK(html.find("Evaluated on the validation set (24 samples)") != std::string::npos);
    CHECK(read(folder.path / "history.csv").find("\n2,") != std::string::npos);
    // No augmentation: rows of draws + 1 training images as they are.
    const tn::ReportOptions defaults;
    const auto inputs = tn::data::read_image(folder.path / "inputs.png");
    CHECK(inputs.width == grid_side(defaults.draws + 1, 8 * layout::zoom));
    CHECK(inputs.height == grid_side(defaults.samples, 8 * layout::zoom));
    for (const auto& name : files(folder.path)) {
      INFO(name);  // no temporary or probe file left behind
      CHECK(name.find("tmp") == std::string::npos);
      CHECK(name.find("probe") == std::string::npos);
    }
  }
  SECTION("a folder that cannot be made is named before the first epoch") {
    const fs::path under_a_file = fs::path(TYPENET_SOURCE_DIR) / "CMakeLists.txt" / "report";
    CHECK_THAT(refusal(under_a_file),
               Catch::Contains("training report: cannot write to " + under_a_file.string()));
    CHECK(epochs == 0);
    tn::History history;
    CHECK_THROWS_WITH(tn::write_report(under_a_file, model, history, validation),
                      Catch::Contains(under_a_file.string()));
  }
  SECTION("a directory in the place of one of its files is named before the first epoch") {
    // index.html is written last: a training used to run in full and then lose its report.
    Folder folder("in-the-way");
    for (const char* name : tn::report_file_names) {
      INFO(name);
      fs::create_directories(folder.path / name);
      CHECK_THAT(refusal(folder.path),
                 Catch::Contains((folder.path / name).string() + ": is a directory"));
      CHECK(epochs == 0);
      fs::remove(folder.path / name);
    }
  }
}

TEST_CASE("xml_escaped replaces the five XML specials, which the plots and the report share",
          "[report]") {
  CHECK(tn::plot::xml_escaped("a<b>&\"c\" 'd' é") ==
        "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos; é");
  // An entity already in the text is text: escaped again, so it shows as typed.
  CHECK(tn::plot::xml_escaped("&lt;") == "&amp;lt;");
  CHECK(tn::plot::xml_escaped("").empty());
}
