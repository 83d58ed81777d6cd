// Checkpoints of fit, and exact resume:
//
//   tn::fit(model, opt, loss, train,
//           {.epochs = 20, .checkpoint = {.path = "run/checkpoint.safetensors", .every_epochs =
//           1}});
//   // ... the process is killed; in a new one, with a fresh model and optimiser:
//   tn::fit(model, opt, loss, train,
//           {.epochs = 20, .checkpoint = {.path = "run/checkpoint.safetensors"},
//            .resume_from = "run/checkpoint.safetensors"});
//
// The resumed run ends with the weights, running statistics and history, bit for bit, of a run
// that was never interrupted (at the same thread count: kernel/parallel.hpp).
//
// A checkpoint is one safetensors file (io/safetensors.hpp), written atomically:
//  - the weights and running statistics under their state_dict names (load_weights reads them);
//  - every optimiser state tensor as "optimizer.<parameter's name>.<slot>" with PyTorch's slot
//    names (Adam: exp_avg, exp_avg_sq; SGD: momentum_buffer; AdaGrad: sum; RMSProp: square_avg)
//    and the parameter's step count as "optimizer.<name>.step" (I64);
//  - fit's sample order, reshuffled in place each epoch, as "fit.shuffle_order" (I64), and with
//    early stopping's restore_best the best epoch's weights as "fit.best.<name>";
//  - in __metadata__ (all "typenet.*"): the epochs finished and the step count (the schedule's
//    position), the states of fit's generator (shuffling, and augmentation when alone) and of
//    every process's own streams (each Dropout's, augmentation's among several processes), the
//    history so far (exact decimal round trips), the early-stopping counters, and the
//    fingerprints of the network (architecture, scalar type) and of the optimiser (type and
//    hyper-parameters), the batch size per process, the number of processes and the training
//    set's size. With several processes (train/distributed_checkpoint.hpp) rank 0 writes it.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "typenet/graph/summary.hpp"
#include "typenet/io/detail/state_dict.hpp"
#include "typenet/io/safetensors.hpp"
#include "typenet/io/weights.hpp"
#include "typenet/train/history.hpp"
#include "typenet/train/model.hpp"

namespace typenet {

// fit's .checkpoint option.
struct CheckpointOptions {
  std::filesystem::path path{};  // empty: no checkpoints; missing directories are created
  std::size_t every_epochs = 1;  // after every N-th epoch and after the last one (0: invalid)
};

namespace detail {

// What fit carries from one epoch to the next besides the model and the optimiser.
struct FitState {
  std::size_t epoch = 0;        // epochs finished
  std::size_t global_step = 0;  // training steps taken
  std::mt19937_64 rng;          // shuffling and augmentation
  std::vector<std::size_t> order;
  History history;
  double best_loss = std::numeric_limits<double>::infinity();
  std::size_t waited = 0;  // epochs without improvement
};

// What a checkpoint must agree on with the run that resumes from it.
struct RunIdentity {
  std::map<std::string, std::string> network;  // typenet.network, .fingerprint, .architecture...
  std::string optimizer;                       // "Adam(lr=0.001, beta1=0.9, ...)"
  std::size_t batch = 0, samples = 0;          // batch per process
  std::size_t processes = 1;                   // batch * processes: the global batch
  // The epochs the resuming run asks for: a checkpoint of more finished epochs is refused.
  std::size_t epochs = std::numeric_limits<std::size_t>::max();
};

// The random streams of one process besides the shared shuffling stream: each Dropout's
// generator (in io::detail::walk_network order) and augmentation's when it has one of its own
// (always among several processes; a single process augments from the shared stream, unless it
// continues a checkpoint of several).
struct ProcessStreams {
  std::vector<std::mt19937_64> dropout;
  std::optional<std::mt19937_64> augment;
};

// Implemented in src/train/checkpoint.cpp.
std::string optimizer_description(const char* type,
                                  const std::vector<std::pair<const char*, double>>& options);
// A hash of every summary row (index, layer with its settings, output shape): unlike the weight
// file's fingerprint it sees layers without parameters (Dropout, activations).
std::string architecture(const Summary& summary);
std::string generator_text(const std::mt19937_64& generator);
// `streams`: every process's stream_metadata, merged.
std::map<std::string, std::string> checkpoint_metadata(
    const RunIdentity& run, const FitState& state, std::size_t optimizer_steps,
    const std::map<std::string, std::string>& streams);
// Process `rank`'s (of `processes`) streams as metadata entries: "typenet.rng.dropout.<layer>"
// and "typenet.rng.augment" when alone, "typenet.rng.rank<r>.dropout.<layer>" and
// "typenet.rng.rank<r>.augment" among several. `augment` nullptr: no stream of its own.
std::map<std::string, std::string> stream_metadata(
    std::size_t rank, std::size_t processes, const std::vector<io::detail::GeneratorEntry>& dropout,
    const std::mt19937_64* augment);
// Creates the checkpoint's missing folders; throws std::runtime_error "<path>: cannot write the
// checkpoint: cannot create <folder> (<why>)" when one cannot be made.
void make_checkpoint_folder(const std::filesystem::path& path);
// The line fit shows when a resumed run has nothing left to train (the checkpoint holds all
// `epochs`, or its run stopped early), naming the file and both epoch counts; "" otherwise.
std::string nothing_left_notice(const std::filesystem::path& path, const FitState& state,
                                std::size_t epochs);
// Reads a checkpoint and refuses, with a sentence naming the file and what differs, one of
// another network, scalar type, optimiser, hyper-parameters, global batch (batch per process
// times processes) or training set size, or of more finished epochs than run.epochs. Read errors
// (missing, truncated, corrupt) are io::WeightsError naming the file.
io::Safetensors read_checkpoint(const std::filesystem::path& path, const RunIdentity& run);
// fit's state from a checked file; throws io::WeightsError for any value that does not parse
// or fit (an order that is not a permutation of the training set, ...). Changes nothing else.
FitState read_fit_state(const io::Safetensors& file, const RunIdentity& run);
// "typenet.processes": the processes of the run that wrote the file (1 for files written
// before it was recorded).
std::size_t checkpoint_processes(const io::Safetensors& file);
// Process `rank`'s streams, checked; nullopt when the writing run had no process `rank`.
std::optional<ProcessStreams> read_process_streams(
    const io::Safetensors& file, std::size_t rank,
    const std::vector<io::detail::GeneratorEntry>& dropout);
std::size_t read_optimizer_steps(const io::Safetensors& file);
[[noreturn]] void checkpoint_error(const io::Safetensors& file, const std::string& what);

// An optimiser that can be checkpointed: it names itself, its options and its state's slots.
template <class O, class T>
concept checkpointable = requires(O& o) {
  { o.type_name() } -> std::convertible_to<const char*>;
  o.hyper_parameters();
  O::state_names.size();
  o.template parameter_state<T>();
};

template <class Net, class T, class Optimizer>
RunIdentity run_identity(Model<Net, T>& model, Optimizer& optimizer, std::size_t batch,
                         std::size_t samples, std::size_t processes = 1) {
  const auto summary = typenet::summary<Net>();
  RunIdentity run;
  run.network = io::detail::weight_metadata(io::detail::entries_of(model.network()),
                                            io::detail::describe(summary));
  run.network["typenet.architecture"] = architecture(summary);
  run.network["typenet.scalar"] = std::is_same_v<T, float> ? "float" : "double";
  run.optimizer = optimizer_description(optimizer.type_name(), optimizer.hyper_parameters());
  run.batch = batch;
  run.samples = samples;
  run.processes = processes;
  return run;
}

// The state_dict name of each of the model's parameters, in all_parameters() order, and of
// each state buffer (running statistics), in Network::state_buffers() order.
template <class Net, class T>
std::pair<std::vector<std::string>, std::vector<std::string>> parameter_names(
    Model<Net, T>& model, const std::vector<io::detail::StateEntry>& entries) {
  const auto name_of = [&](const T* values) {
    for (const auto& e : entries)
      if (static_cast<const void*>(e.f32) == values || static_cast<const void*>(e.f64) == values)
        return e.name;
    throw std::logic_error("checkpoint: a parameter without a state_dict name");
  };
  std::pair<std::vector<std::string>, std::vector<std::string>> names;
  for (const auto* p : model.all_parameters()) names.first.push_back(name_of(p->value.data()));
  for (const auto* b : model.network().state_buffers()) names.second.push_back(name_of(b->data()));
  return names;
}

template <class T>
constexpr io::DType dtype_of = std::is_same_v<T, float> ? io::DType::F32 : io::DType::F64;

template <class Value>
std::span<const std::byte> bytes_of(const Value* values, std::size_t count) {
  return {reinterpret_cast<const std::byte*>(values), count * sizeof(Value)};
}

// `streams`: every process's stream_metadata (this one's alone: its own).
template <class Net, class T, class Optimizer>
void save_checkpoint(const std::filesystem::path& path, Model<Net, T>& model, Optimizer& optimizer,
                     const FitState& state, const RunIdentity& run,
                     const typename Model<Net, T>::Snapshot* best,
                     const std::map<std::string, std::string>& streams) {
  const auto entries = io::detail::entries_of(model.network());
  auto views = io::detail::tensor_views(entries);
  const auto [names, buffer_names] = parameter_names(model, entries);
  const auto& parameters = model.all_parameters();
  auto& states = optimizer.template parameter_state<T>();
  std::vector<std::int64_t> integers;  // the I64 tensors' values; reserved: views point in
  integers.reserve(parameters.size() + state.order.size());
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    const auto* s = states.find(*parameters[k]);
    if (s == nullptr) continue;  // no step yet (frozen all along), or a stateless optimiser
    const std::size_t n = parameters[k]->size();
    std::vector<std::size_t> dims;
    for (const auto& e : entries)
      if (e.name == names[k]) dims = e.shape;
    if (s->values.size() != Optimizer::state_names.size() * n)
      throw std::logic_error("checkpoint: optimiser state of an unexpected size for " + names[k]);
    for (std::size_t slot = 0; slot < Optimizer::state_names.size(); ++slot)
      views.push_back({"optimizer." + names[k] + "." + Optimizer::state_names[slot], dtype_of<T>,
                       dims, bytes_of(s->values.data() + slot * n, n)});
    integers.push_back(std::int64_t(s->steps));
    views.push_back(
        {"optimizer." + names[k] + ".step", io::DType::I64, {}, bytes_of(&integers.back(), 1)});
  }
  const std::size_t order_begin = integers.size();
  for (std::size_t i : state.order) integers.push_back(std::int64_t(i));
  views.push_back({"fit.shuffle_order",
                   io::DType::I64,
                   {state.order.size()},
                   bytes_of(integers.data() + order_begin, state.order.size())});
  if (best != nullptr) {
    std::size_t k = 0;
    for (const auto& name : names) {
      const auto& v = best->values[k++];
      views.push_back({"fit.best." + name, dtype_of<T>, {v.size()}, bytes_of(v.data(), v.size())});
    }
    for (const auto& name : buffer_names) {
      const auto& v = best->values[k++];
      views.push_back({"fit.best." + name, dtype_of<T>, {v.size()}, bytes_of(v.data(), v.size())});
    }
  }
  std::size_t steps = 0;
  if constexpr (requires { optimizer.steps(); }) steps = optimizer.steps();
  make_checkpoint_folder(path);
  io::write_safetensors(path, views, checkpoint_metadata(run, state, steps, streams));
}

// A checkpoint's processes and the streams it kept for this one, which fit sets once the
// processes have started (train/distributed_checkpoint.hpp, restore_streams).
struct Resumed {
  std::size_t processes = 1;
  std::optional<ProcessStreams> streams;  // none: the writing run had no process of this rank
};

// Restores the model, the optimiser and fit's state from a checkpoint, and returns the streams
// of process `rank`. Every check comes before the first change: a refused file leaves all three
// as they were. `before_changes` runs after the checks (the processes agree there that every
// one of them read the file well).
template <class Net, class T, class Optimizer>
Resumed resume_checkpoint(const std::filesystem::path& path, Model<Net, T>& model,
                          Optimizer& optimizer, const RunIdentity& run, FitState& state,
                          std::optional<typename Model<Net, T>::Snapshot>& best,
                          std::size_t rank = 0, const std::function<void()>& before_changes = {}) {
  const io::Safetensors file = read_checkpoint(path, run);
  FitState restored = read_fit_state(file, run);
  const auto entries = io::detail::entries_of(model.network());
  const auto [names, buffer_names] = parameter_names(model, entries);
  const auto& parameters = model.all_parameters();
  const auto shape_of = [&](const std::string& name) {
    for (const auto& e : entries)
      if (e.name == name) return e.shape;
    return std::vector<std::size_t>{};
  };
  const auto floats = [&](const std::string& tensor, std::size_t n,
                          const std::vector<std::size_t>* shape) {
    const auto* t = file.find(tensor);
    if (t == nullptr) checkpoint_error(file, "tensor '" + tensor + "' is missing");
    if (t->dtype != dtype_of<T> || (shape != nullptr ? t->shape != *shape : t->elements() != n) ||
        file.first_nonfinite(*t, false) != t->elements())
      checkpoint_error(file, "tensor '" + tensor + "' is not " + std::to_string(n) + " finite " +
                                 std::string(io::to_string(dtype_of<T>)) + " values");
    std::vector<T> values(n);
    file.copy_to(*t, std::span<T>(values));
    return values;
  };
  // Optimiser state: per parameter, all slots or none.
  std::vector<std::pair<std::vector<T>, std::size_t>> slots(parameters.size());
  std::vector<bool> present(parameters.size(), false);
  std::size_t optimizer_tensors = 0;
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    const auto* step = file.find("optimizer." + names[k] + ".step");
    if (step == nullptr) continue;
    present[k] = true;
    const std::size_t n = parameters[k]->size();
    const auto dims = shape_of(names[k]);
    if (step->dtype != io::DType::I64 || step->elements() != 1 || file.integer(*step) < 0)
      checkpoint_error(file, "tensor '" + step->name + "' is not a step count (one I64 >= 0)");
    slots[k].second = std::size_t(file.integer(*step));
    for (const char* slot : Optimizer::state_names) {
      const auto values = floats("optimizer." + names[k] + "." + slot, n, &dims);
      slots[k].first.insert(slots[k].first.end(), values.begin(), values.end());
    }
    optimizer_tensors += 1 + Optimizer::state_names.size();
  }
  std::size_t own = 0;
  for (const auto& t : file.tensors()) own += t.name.rfind("optimizer.", 0) == 0;
  if (own != optimizer_tensors)
    checkpoint_error(file, "holds " + std::to_string(own) + " optimizer.* tensors, " +
                               std::to_string(optimizer_tensors) + " of them belong to " +
                               optimizer.type_name() + " state of this network's parameters");
  std::vector<io::detail::GeneratorEntry> generators;
  io::detail::walk_network(model.network(), generators);
  Resumed resumed{checkpoint_processes(file), read_process_streams(file, rank, generators)};
  std::optional<typename Model<Net, T>::Snapshot> best_read;
  if (!names.empty() && file.find("fit.best." + names.front()) != nullptr) {
    best_read.emplace();
    for (std::size_t k = 0; k < parameters.size(); ++k)
      best_read->values.push_back(floats("fit.best." + names[k], parameters[k]->size(), nullptr));
    const auto buffers = model.network().state_buffers();
    for (std::size_t k = 0; k < buffers.size(); ++k)
      best_read->values.push_back(
          floats("fit.best." + buffer_names[k], buffers[k]->size(), nullptr));
  }
  const std::size_t optimizer_steps = read_optimizer_steps(file);
  if (before_changes) before_changes();

  // Everything read and checked; load_weights checks the weights before it changes any.
  io::detail::load(entries, run.network.at("typenet.network"), file, {.strict = true});
  auto& states = optimizer.template parameter_state<T>();
  states.clear();
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    if (!present[k]) continue;
    auto& s = states.of(*parameters[k], Optimizer::state_names.size());
    s.values = std::move(slots[k].first);
    s.steps = slots[k].second;
  }
  if constexpr (requires { optimizer.set_steps(std::size_t{}); })
    optimizer.set_steps(optimizer_steps);
  best = std::move(best_read);
  state = std::move(restored);
  return resumed;
}

}  // namespace detail
}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
