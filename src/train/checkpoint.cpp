// Checkpoints: the metadata (run identity, fit's state, generators) and its checks, the same for
// every network, compiled once.
#include "typenet/train/checkpoint.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <locale>
#include <sstream>

namespace typenet::detail {

namespace {

constexpr const char* resume_hint =
    "; resume_from continues the run that wrote the checkpoint: the same network, scalar type, "
    "optimiser and hyper-parameters, batch size and training set";

// Shortest decimal text that reads back to the same double (NaN and infinity included).
std::string number(double value) {
  char text[64];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return {text, end};
}

// "1 finished epoch", "2 finished epochs".
std::string finished_epochs(std::size_t epochs) {
  return std::to_string(epochs) + " finished epoch" + (epochs == 1 ? "" : "s");
}

std::string text(const io::Safetensors& file, const std::string& key) {
  const auto it = file.metadata().find(key);
  if (it == file.metadata().end()) checkpoint_error(file, "its metadata has no '" + key + "'");
  return it->second;
}

template <class Value>
Value parse(const io::Safetensors& file, const std::string& key, const std::string& value,
            const char* what) {
  Value result{};
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (error != std::errc{} || end != value.data() + value.size() || value.empty())
    checkpoint_error(file, "'" + key + "' is '" + value.substr(0, 40) + "', not " + what);
  return result;
}

std::size_t count(const io::Safetensors& file, const std::string& key) {
  return parse<std::size_t>(file, key, text(file, key), "a count");
}

std::vector<std::string> split(const std::string& text, const std::string& by) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (std::size_t at; (at = text.find(by, begin)) != std::string::npos; begin = at + by.size())
    parts.push_back(text.substr(begin, at - begin));
  parts.push_back(text.substr(begin));
  return parts;
}

// "Adam(lr=0.001, beta1=0.9)" as its type and its key=value pairs.
std::pair<std::string, std::vector<std::string>> optimizer_parts(const std::string& text) {
  const auto open = text.find('(');
  if (open == std::string::npos || text.back() != ')') return {text, {}};
  return {text.substr(0, open), split(text.substr(open + 1, text.size() - open - 2), ", ")};
}

void check_optimizer(const io::Safetensors& file, const std::string& theirs,
                     const std::string& ours) {
  if (theirs == ours) return;
  const auto [their_type, their_options] = optimizer_parts(theirs);
  const auto [our_type, our_options] = optimizer_parts(ours);
  std::string what = "was written by the optimiser " + theirs + ", this run's is " + ours;
  if (their_type == our_type && their_options.size() == our_options.size())
    for (std::size_t k = 0; k < our_options.size(); ++k)
      if (their_options[k] != our_options[k]) {
        what = "was written by " + their_type + " with " + their_options[k] + ", this run's " +
               our_type + " has " + our_options[k];
        break;
      }
  checkpoint_error(file, what + resume_hint);
}

std::string history_text(const History& history) {
  std::string out;
  for (const auto& r : history.epochs)
    out += std::to_string(r.epoch) + ',' + number(r.train_loss) + ',' + number(r.train_accuracy) +
           ',' + number(r.validation_loss) + ',' + number(r.validation_accuracy) + ',' +
           number(r.learning_rate) + ',' + number(r.seconds) + ',' + number(r.images_per_second) +
           '\n';
  return out;
}

History read_history(const io::Safetensors& file, std::size_t epochs) {
  const std::string key = "typenet.history";
  History history;
  auto lines = split(text(file, key), "\n");
  if (lines.back().empty()) lines.pop_back();
  if (lines.size() != epochs)
    checkpoint_error(file, "'" + key + "' has " + std::to_string(lines.size()) +
                               " epochs, 'typenet.epoch' says " + std::to_string(epochs));
  for (const auto& line : lines) {
    const auto fields = split(line, ",");
    if (fields.size() != 8)
      checkpoint_error(file, "'" + key + "' has a line of " + std::to_string(fields.size()) +
                                 " fields, not 8: '" + line.substr(0, 60) + "'");
    EpochRecord r;
    r.epoch = parse<std::size_t>(file, key, fields[0], "an epoch number");
    double* values[] = {&r.train_loss,          &r.train_accuracy, &r.validation_loss,
                        &r.validation_accuracy, &r.learning_rate,  &r.seconds,
                        &r.images_per_second};
    for (std::size_t k = 0; k < 7; ++k)
      *values[k] = parse<double>(file, key, fields[k + 1], "a number");
    if (r.epoch != history.epochs.size() + 1)
      checkpoint_error(file, "'" + key + "' lists epoch " + std::to_string(r.epoch) +
                                 " where epoch " + std::to_string(history.epochs.size() + 1) +
                                 " belongs");
    history.epochs.push_back(r);
  }
  return history;
}

template <class Generator>
Generator parse_generator(const io::Safetensors& file, const std::string& key) {
  std::istringstream in(text(file, key));
  in.imbue(std::locale::classic());
  Generator generator;
  in >> generator;
  if (in.fail() || !(in >> std::ws).eof())
    checkpoint_error(file, "'" + key + "' is not the state of a std::mt19937_64");
  return generator;
}

// "typenet.rng.<what>" for a single process, "typenet.rng.rank<r>.<what>" among several.
std::string stream_key(std::size_t rank, std::size_t processes, const std::string& what) {
  return processes == 1 ? "typenet.rng." + what
                        : "typenet.rng.rank" + std::to_string(rank) + "." + what;
}

// "batches of 16", or "batches of 16 on each of 2 processes (a global batch of 32)".
std::string batches(std::size_t batch, std::size_t processes) {
  std::string text = "batches of " + std::to_string(batch);
  if (processes == 1) return text;
  return text + " on each of " + std::to_string(processes) + " processes (a global batch of " +
         std::to_string(batch * processes) + ")";
}

}  // namespace

void checkpoint_error(const io::Safetensors& file, const std::string& what) {
  throw io::WeightsError(file.name() + ": " + what);
}

std::string optimizer_description(const char* type,
                                  const std::vector<std::pair<const char*, double>>& options) {
  std::string text = std::string(type) + "(";
  for (std::size_t k = 0; k < options.size(); ++k)
    text += (k ? ", " : "") + std::string(options[k].first) + "=" + number(options[k].second);
  return text + ")";
}

std::string architecture(const Summary& summary) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bit
  const auto mix = [&](const std::string& text) {
    for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  };
  for (const auto& row : summary.rows())
    mix(row.index + "|" + row.layer + "|" + shape_text(row.output_shape) + ";");
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::string generator_text(const std::mt19937_64& generator) {
  std::ostringstream out;
  out.imbue(std::locale::classic());  // no digit grouping, whatever the global locale says
  out << generator;
  return out.str();
}

std::map<std::string, std::string> stream_metadata(
    std::size_t rank, std::size_t processes, const std::vector<io::detail::GeneratorEntry>& dropout,
    const std::mt19937_64* augment) {
  std::map<std::string, std::string> m;
  for (const auto& g : dropout)
    m[stream_key(rank, processes, "dropout." + g.name)] = generator_text(*g.generator);
  if (augment != nullptr) m[stream_key(rank, processes, "augment")] = generator_text(*augment);
  return m;
}

std::map<std::string, std::string> checkpoint_metadata(
    const RunIdentity& run, const FitState& state, std::size_t optimizer_steps,
    const std::map<std::string, std::string>& streams) {
  auto m = run.network;
  m.insert(streams.begin(), streams.end());
  m["typenet.checkpoint"] = "1";
  m["typenet.optimizer"] = run.optimizer;
  m["typenet.optimizer.steps"] = std::to_string(optimizer_steps);
  m["typenet.batch"] = std::to_string(run.batch);
  m["typenet.processes"] = std::to_string(run.processes);
  m["typenet.samples"] = std::to_string(run.samples);
  m["typenet.epoch"] = std::to_string(state.epoch);
  m["typenet.global_step"] = std::to_string(state.global_step);
  m["typenet.rng.fit"] = generator_text(state.rng);
  m["typenet.history"] = history_text(state.history);
  m["typenet.history.best_epoch"] = std::to_string(state.history.best_epoch);
  m["typenet.history.stopped_early"] = state.history.stopped_early ? "1" : "0";
  m["typenet.early_stopping.best_loss"] = number(state.best_loss);
  m["typenet.early_stopping.waited"] = std::to_string(state.waited);
  return m;
}

io::Safetensors read_checkpoint(const std::filesystem::path& path, const RunIdentity& run) {
  std::optional<io::Safetensors> read;
  try {
    read = io::Safetensors::read(path);
  } catch (const io::WeightsError& error) {
    throw io::WeightsError(std::string("fit: cannot resume: ") + error.what());
  }
  const io::Safetensors& file = *read;
  const auto& meta = file.metadata();
  const auto value = [&](const std::string& key) {
    const auto it = meta.find(key);
    return it == meta.end() ? std::string() : it->second;
  };
  if (!meta.count("typenet.checkpoint"))
    checkpoint_error(file,
                     "is not a typenet checkpoint (its metadata has no typenet.checkpoint); a "
                     "weight file is read with tn::load_weights");
  if (value("typenet.architecture") != run.network.at("typenet.architecture")) {
    const std::string theirs = value("typenet.network"), ours = run.network.at("typenet.network");
    checkpoint_error(file, "is a checkpoint of another network: it holds " + theirs +
                               ", this one is " + ours +
                               (theirs == ours ? " (they differ inside a composite layer or in a "
                                                 "layer's settings)"
                                               : "") +
                               resume_hint);
  }
  if (value("typenet.scalar") != run.network.at("typenet.scalar"))
    checkpoint_error(file, "is a checkpoint of a " + value("typenet.scalar") +
                               " network, this one is " + run.network.at("typenet.scalar") +
                               resume_hint);
  check_optimizer(file, value("typenet.optimizer"), run.optimizer);
  const std::size_t batch = count(file, "typenet.batch"), samples = count(file, "typenet.samples");
  const std::size_t processes = checkpoint_processes(file);
  if (batch * processes != run.batch * run.processes || samples != run.samples) {
    // Another number of processes continues the run with the same global batch: the steps,
    // the samples of each step and the learning rate's meaning stay those of the run.
    const std::size_t global = batch * processes;
    std::string remedy;
    const std::string on =
        std::to_string(run.processes) + (run.processes == 1 ? " process" : " processes");
    if (samples == run.samples && (processes > 1 || run.processes > 1))
      remedy =
          global % run.processes == 0
              ? "; on " + on + ", a batch of " + std::to_string(global / run.processes) +
                    " per process keeps its global batch"
              : "; its global batch of " + std::to_string(global) + " does not split over " + on;
    checkpoint_error(file, "was written by a run on " + std::to_string(samples) +
                               " training samples in " + batches(batch, processes) +
                               ", this one has " + std::to_string(run.samples) + " samples in " +
                               batches(run.batch, run.processes) + remedy + resume_hint);
  }
  return std::move(*read);
}

FitState read_fit_state(const io::Safetensors& file, const RunIdentity& run) {
  FitState state;
  state.epoch = count(file, "typenet.epoch");
  // The run cannot be made shorter: its weights have trained every epoch the file holds.
  if (state.epoch > run.epochs)
    checkpoint_error(file, "holds " + finished_epochs(state.epoch) +
                               ", more than this run's epochs = " + std::to_string(run.epochs) +
                               "; resume with epochs = " + std::to_string(state.epoch) +
                               " or more, or start a new run from its weights (load_weights)");
  state.global_step = count(file, "typenet.global_step");
  state.rng = parse_generator<std::mt19937_64>(file, "typenet.rng.fit");
  state.history = read_history(file, state.epoch);
  state.history.best_epoch = count(file, "typenet.history.best_epoch");
  if (state.history.best_epoch > state.epoch)
    checkpoint_error(file, "'typenet.history.best_epoch' is beyond 'typenet.epoch'");
  const std::string stopped = text(file, "typenet.history.stopped_early");
  if (stopped != "0" && stopped != "1")
    checkpoint_error(file, "'typenet.history.stopped_early' is '" + stopped + "', not 0 or 1");
  state.history.stopped_early = stopped == "1";
  const std::string best = "typenet.early_stopping.best_loss";
  state.best_loss = parse<double>(file, best, text(file, best), "a number");
  state.waited = count(file, "typenet.early_stopping.waited");

  const auto* order = file.find("fit.shuffle_order");
  if (order == nullptr) checkpoint_error(file, "tensor 'fit.shuffle_order' is missing");
  if (order->dtype != io::DType::I64 || order->shape != std::vector<std::size_t>{run.samples})
    checkpoint_error(file, "tensor 'fit.shuffle_order' is not " + std::to_string(run.samples) +
                               " I64 sample indices");
  const auto bytes = file.data(*order);
  std::vector<bool> seen(run.samples, false);
  state.order.resize(run.samples);
  for (std::size_t i = 0; i < run.samples; ++i) {
    std::int64_t index = 0;
    std::memcpy(&index, bytes.data() + i * sizeof index, sizeof index);
    if (index < 0 || std::uint64_t(index) >= run.samples || seen[std::size_t(index)])
      checkpoint_error(file, "tensor 'fit.shuffle_order' is not a permutation of the " +
                                 std::to_string(run.samples) + " samples (element " +
                                 std::to_string(i) + " is " + std::to_string(index) + ")");
    seen[std::size_t(index)] = true;
    state.order[i] = std::size_t(index);
  }
  return state;
}

void make_checkpoint_folder(const std::filesystem::path& path) {
  if (path.parent_path().empty()) return;
  // A folder that cannot be made is the checkpoint's error, not a bare filesystem_error.
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error)
    throw std::runtime_error(path.string() + ": cannot write the checkpoint: cannot create " +
                             path.parent_path().string() + " (" + error.message() + ")");
}

std::string nothing_left_notice(const std::filesystem::path& path, const FitState& state,
                                std::size_t epochs) {
  const std::string done = std::to_string(state.epoch), asked = std::to_string(epochs);
  if (state.epoch >= epochs)
    return "fit: " + path.string() + " already holds " + finished_epochs(state.epoch) +
           " and this run asks for " + asked +
           " in all: nothing is left to train (more epochs "
           "continue the run)";
  if (state.history.stopped_early)
    return "fit: the run of " + path.string() + " stopped early after epoch " + done + " of " +
           asked + " (early_stopping): nothing is left to train";
  return {};
}

std::size_t checkpoint_processes(const io::Safetensors& file) {
  if (!file.metadata().count("typenet.processes")) return 1;
  const std::size_t processes = count(file, "typenet.processes");
  if (processes == 0) checkpoint_error(file, "'typenet.processes' is 0");
  return processes;
}

std::optional<ProcessStreams> read_process_streams(
    const io::Safetensors& file, std::size_t rank,
    const std::vector<io::detail::GeneratorEntry>& dropout) {
  const std::size_t processes = checkpoint_processes(file);
  if (rank >= processes) return std::nullopt;
  ProcessStreams streams;
  for (const auto& g : dropout)
    streams.dropout.push_back(
        parse_generator<std::mt19937_64>(file, stream_key(rank, processes, "dropout." + g.name)));
  const std::string augment = stream_key(rank, processes, "augment");
  if (file.metadata().count(augment))
    streams.augment = parse_generator<std::mt19937_64>(file, augment);
  else if (processes > 1)
    checkpoint_error(file, "its metadata has no '" + augment + "'");
  return streams;
}

std::size_t read_optimizer_steps(const io::Safetensors& file) {
  return count(file, "typenet.optimizer.steps");
}

}  // namespace typenet::detail
