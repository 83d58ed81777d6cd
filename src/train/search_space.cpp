// Search spaces: checks, seeds, grids, draws and narrowing, compiled once.
#include "typenet/train/search_space.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace typenet {

namespace {

std::string quoted(std::string_view name) {
  std::string text(1, '\'');  // appended, not `"'" + name`: g++ 12 warns of that (-Wrestrict)
  text.append(name);
  text += '\'';
  return text;
}

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014).
std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The generator of one draw: SplitMix64's stream (portable, unlike the standard library's
// distributions, whose algorithms are the implementation's).
class Stream {
 public:
  explicit Stream(std::uint64_t seed) : state_(seed) {}
  // Uniform in [0, 1), 53 random bits.
  double unit() {
    const std::uint64_t bits = splitmix(state_);
    state_ += 0x9e3779b97f4a7c15ULL;
    return double(bits >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

}  // namespace

Choice log_grid(double low, double high, std::size_t count) {
  if (!(std::isfinite(low) && std::isfinite(high) && 0 < low && low < high) || count < 2)
    throw std::invalid_argument("log_grid(" + number(low) + ", " + number(high) + ", " +
                                std::to_string(count) +
                                "): needs 0 < low < high, both finite, and 2 or more values");
  Choice grid;
  const double a = std::log(low), b = std::log(high);
  for (std::size_t i = 0; i < count; ++i)
    grid.values.push_back(i == 0           ? low
                          : i == count - 1 ? high
                                           : std::exp(a + (b - a) * double(i) / double(count - 1)));
  return grid;
}

double TrialParams::operator[](std::string_view name) const {
  for (const auto& [key, value] : values)
    if (key == name) return value;
  std::string known;
  for (const auto& entry : values) {
    if (!known.empty()) known += ", ";
    known += quoted(entry.first);
  }
  throw std::invalid_argument("TrialParams: no hyper-parameter is named " + quoted(name) +
                              "; the search space has " +
                              (known.empty() ? std::string("none") : known));
}

std::size_t TrialParams::integer(std::string_view name) const {
  const double value = (*this)[name];
  if (!(value >= 0 && value == std::floor(value) && value < 0x1.0p63))
    throw std::invalid_argument("TrialParams::integer: hyper-parameter " + quoted(name) + " is " +
                                number(value) + ", not a whole number >= 0");
  return std::size_t(value);
}

bool TrialParams::contains(std::string_view name) const {
  return std::any_of(values.begin(), values.end(), [&](const auto& e) { return e.first == name; });
}

namespace detail {

void check_space(const SearchSpace& space, const char* where) {
  const std::string lead = std::string(where) + ": ";
  if (space.empty())
    throw std::invalid_argument(lead +
                                "the search space is empty; give it a hyper-parameter, such as "
                                "{\"lr\", tn::LogUniform{1e-4, 1e-1}}");
  for (std::size_t i = 0; i < space.size(); ++i) {
    const auto& p = space[i];
    const std::string which = "hyper-parameter " + quoted(p.name);
    if (p.name.empty())
      throw std::invalid_argument(lead + "hyper-parameter " + std::to_string(i + 1) +
                                  " of the search space has no name");
    for (std::size_t j = 0; j < i; ++j)
      if (space[j].name == p.name)
        throw std::invalid_argument(lead + which + " appears twice in the search space");
    if (const auto* choice = std::get_if<Choice>(&p.distribution)) {
      if (choice->values.empty())
        throw std::invalid_argument(lead + which + ": tn::Choice has no values");
      for (double v : choice->values)
        if (!std::isfinite(v))
          throw std::invalid_argument(lead + which + ": tn::Choice holds " + number(v) +
                                      " (values must be finite)");
    } else if (const auto* uniform = std::get_if<Uniform>(&p.distribution)) {
      if (!(std::isfinite(uniform->low) && std::isfinite(uniform->high) &&
            uniform->low < uniform->high))
        throw std::invalid_argument(lead + which + ": tn::Uniform{" + number(uniform->low) + ", " +
                                    number(uniform->high) + "} needs low < high, both finite");
    } else {
      const auto& log = std::get<LogUniform>(p.distribution);
      if (!(std::isfinite(log.low) && std::isfinite(log.high) && 0 < log.low && log.low < log.high))
        throw std::invalid_argument(lead + which + ": tn::LogUniform{" + number(log.low) + ", " +
                                    number(log.high) +
                                    "} needs 0 < low < high, both finite (its draws are uniform "
                                    "in log(value))");
    }
  }
}

std::uint64_t trial_seed(std::uint64_t seed, std::uint64_t stage, std::uint64_t trial) {
  return splitmix(splitmix(splitmix(seed) + stage) + trial);
}

std::vector<std::vector<double>> grid_points(const SearchSpace& space, const char* where) {
  check_space(space, where);
  std::size_t total = 1;
  for (const auto& p : space) {
    const auto* choice = std::get_if<Choice>(&p.distribution);
    if (choice == nullptr)
      throw std::invalid_argument(
          std::string(where) + ": hyper-parameter " + quoted(p.name) + " is a " +
          (std::holds_alternative<Uniform>(p.distribution) ? "tn::Uniform" : "tn::LogUniform") +
          " range; a grid takes tn::Choice values (tn::log_grid(low, high, n) gives n of them "
          "evenly spaced in log), or use random_search");
    if (total > max_grid / choice->values.size())
      throw std::invalid_argument(std::string(where) + ": the grid has more than " +
                                  std::to_string(max_grid) + " points (at " + quoted(p.name) +
                                  "); use random_search");
    total *= choice->values.size();
  }
  std::vector<std::vector<double>> points;
  points.reserve(total);
  std::vector<std::size_t> at(space.size(), 0);
  for (std::size_t n = 0; n < total; ++n) {
    std::vector<double> row(space.size());
    for (std::size_t i = 0; i < space.size(); ++i)
      row[i] = std::get<Choice>(space[i].distribution).values[at[i]];
    points.push_back(std::move(row));
    for (std::size_t i = space.size(); i-- > 0;) {  // an odometer, the last digit fastest
      if (++at[i] < std::get<Choice>(space[i].distribution).values.size()) break;
      at[i] = 0;
    }
  }
  return points;
}

std::vector<double> sample(const SearchSpace& space, std::uint64_t seed) {
  Stream stream(seed);
  std::vector<double> row;
  row.reserve(space.size());
  for (const auto& p : space) {
    const double u = stream.unit();
    if (const auto* choice = std::get_if<Choice>(&p.distribution)) {
      const auto k =
          std::min(choice->values.size() - 1, std::size_t(u * double(choice->values.size())));
      row.push_back(choice->values[k]);
    } else if (const auto* uniform = std::get_if<Uniform>(&p.distribution)) {
      row.push_back(std::clamp(uniform->low + u * (uniform->high - uniform->low), uniform->low,
                               uniform->high));
    } else {
      const auto& log = std::get<LogUniform>(p.distribution);
      const double a = std::log(log.low), b = std::log(log.high);
      row.push_back(std::clamp(std::exp(a + u * (b - a)), log.low, log.high));
    }
  }
  return row;
}

SearchSpace narrow(const SearchSpace& space, const std::vector<std::vector<double>>& best,
                   double margin) {
  if (best.empty()) throw std::invalid_argument("narrow: no trial to narrow the space around");
  SearchSpace fine = space;
  for (std::size_t i = 0; i < space.size(); ++i) {
    auto& d = fine[i].distribution;
    if (auto* choice = std::get_if<Choice>(&d)) {
      std::vector<double> kept;
      for (double v : choice->values)  // in the original order
        if (std::any_of(best.begin(), best.end(), [&](const auto& row) { return row[i] == v; }) &&
            std::find(kept.begin(), kept.end(), v) == kept.end())
          kept.push_back(v);
      choice->values = std::move(kept);
      continue;
    }
    const bool log = std::holds_alternative<LogUniform>(d);
    const auto to = [&](double v) { return log ? std::log(v) : v; };
    const auto from = [&](double v) { return log ? std::exp(v) : v; };
    const double low = log ? std::get<LogUniform>(d).low : std::get<Uniform>(d).low;
    const double high = log ? std::get<LogUniform>(d).high : std::get<Uniform>(d).high;
    double top_low = std::numeric_limits<double>::infinity(), top_high = -top_low;
    for (const auto& row : best) {
      top_low = std::min(top_low, to(row[i]));
      top_high = std::max(top_high, to(row[i]));
    }
    const double pad = margin * std::max(top_high - top_low, (to(high) - to(low)) / 10);
    // The best values themselves stay inside, whatever exp(log(v)) rounds to.
    const double new_low = std::clamp(std::min(from(top_low - pad), from(top_low)), low, high);
    const double new_high = std::clamp(std::max(from(top_high + pad), from(top_high)), low, high);
    double best_low = high, best_high = low;
    for (const auto& row : best) {
      best_low = std::min(best_low, row[i]);
      best_high = std::max(best_high, row[i]);
    }
    const double lo = std::min(new_low, best_low), hi = std::max(new_high, best_high);
    if (log)
      d = LogUniform{lo, hi};
    else
      d = Uniform{lo, hi};
  }
  return fine;
}

TrialParams make_params(const SearchSpace& space, const std::vector<double>& values,
                        std::uint64_t seed, std::size_t trial, std::size_t stage) {
  TrialParams params;
  for (std::size_t i = 0; i < space.size(); ++i)
    params.values.emplace_back(space[i].name, values[i]);
  params.seed = seed;
  params.trial = trial;
  params.stage = stage;
  return params;
}

}  // namespace detail

}  // namespace typenet
