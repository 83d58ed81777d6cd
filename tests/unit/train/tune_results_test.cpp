// A search's results: the CSV read back, and trials on 1 or 2 worker threads giving the same
// bits.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#include "tune_fixture.hpp"

namespace tn = typenet;

namespace {

// RFC 4180 records, read independently of the writer: quoted fields may hold commas, doubled
// quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, in_field = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = in_field = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
      in_field = true;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("A search's CSV reads back as its table: header, values, statuses, messages", "[tune]") {
  const auto dir = std::filesystem::temp_directory_path() / "typenet_tune_csv_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "search.csv";
  const tn::SearchSpace space{{"lr", tn::LogUniform{1e-5, 1}}, {"units", tn::Choice{{8, 16}}}};
  const auto result = tn::random_search(
      space,
      [](const tn::TrialParams& p) -> tn::TrialScore {
        if (p["lr"] > 0.1) throw std::runtime_error("too fast, \"lr\" > 0.1,\nstopped");
        return {0.1 + 0.8 / (1 + std::abs(std::log10(p["lr"]) + 3)), 1 / p["units"]};
      },
      {.trials = 9, .seed = 11, .csv = path, .quiet = true});
  const auto rows = parse_csv(read(path));
  REQUIRE(rows.size() == 10);
  CHECK(rows[0] == std::vector<std::string>{"rank", "stage", "trial", "seed", "lr", "units",
                                            "val_accuracy", "val_loss", "seconds", "status",
                                            "message"});
  std::size_t errors = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const auto& t = result.trials[r - 1];
    REQUIRE(row.size() == 11);
    CHECK(row[0] == std::to_string(r));
    CHECK(row[1] == "1");
    CHECK(std::stoull(row[2]) == t.params.trial);
    CHECK(std::stoull(row[3]) == t.params.seed);
    // Shortest exact form: the values read back to the same bits.
    CHECK(std::stod(row[4]) == t.params["lr"]);
    CHECK(std::stod(row[5]) == t.params["units"]);
    CHECK(row[9] == tn::to_string(t.status));
    CHECK(row[10] == t.message);
    if (t.status == tn::TrialStatus::ok) {
      CHECK(std::stod(row[6]) == t.val_accuracy);
      CHECK(std::stod(row[7]) == t.val_loss);
    } else {
      ++errors;
      CHECK(row[6] == "nan");
      CHECK(row[10] == "too fast, \"lr\" > 0.1,\nstopped");
    }
  }
  CHECK(errors > 0);  // with seed 11, some of 9 draws of 5 decades land in the top one
  CHECK(errors < 9);
  // A file that cannot be written is a sentence naming it.
  CHECK_THROWS_WITH(result.write_csv(dir / "missing" / "search.csv"),
                    Catch::Contains("missing/search.csv"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("Trials on 1 and 2 worker threads give the same bits", "[tune]") {
  const auto data = tune_test::blobs(120, 3, 1.2f);
  // Named, not structured bindings: clang 14 cannot capture those in a lambda.
  const auto parts = tn::data::split(data, 0.75, 4);
  const auto& train = parts.first;
  const auto& validation = parts.second;
  const tn::SearchSpace space{{"lr", tn::LogUniform{1e-3, 1}},
                              {"weight_decay", tn::LogUniform{1e-6, 1e-2}}};
  const auto trial = [&](const tn::TrialParams& p) {
    return tune_test::train_blobs(p, train, validation);
  };
  const auto one = tn::coarse_to_fine(
      space, trial, {.trials = 4, .fine_trials = 2, .keep_top = 2, .workers = 1, .quiet = true});
  const auto two = tn::coarse_to_fine(
      space, trial, {.trials = 4, .fine_trials = 2, .keep_top = 2, .workers = 2, .quiet = true});
  REQUIRE(one.trials.size() == 6);
  REQUIRE(two.trials.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(one.trials[i].params.trial == two.trials[i].params.trial);
    CHECK(one.trials[i].params.values == two.trials[i].params.values);
    CHECK(one.trials[i].status == two.trials[i].status);
    // Bitwise: the same parameters and seed must train the same way on any thread.
    CHECK(std::memcmp(&one.trials[i].val_loss, &two.trials[i].val_loss, sizeof(double)) == 0);
    CHECK(std::memcmp(&one.trials[i].val_accuracy, &two.trials[i].val_accuracy, sizeof(double)) ==
          0);
  }
  CHECK(one.best().status == tn::TrialStatus::ok);
}
