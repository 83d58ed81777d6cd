// Checkpoints of data-parallel training (docs/distributed.md, "Checkpoints"): rank 0 writes the
// file once every process has finished the epoch, with every process's own random streams; every
// process reads the same file to resume, on the same number of processes or another.
//
//   tn::fit(model, opt, loss, train,
//           {.epochs = 20, .batch = 32, .checkpoint = {.path = "run/checkpoint.safetensors"},
//            .resume_from = "run/checkpoint.safetensors",  // 2 processes' run, here on 4:
//            .distributed = {.communicator = &world}});     // .batch = 16 keeps the global 64
//
// The weights, optimiser state, running statistics and fit's shared state (epoch, step count,
// history, early stopping, the shuffling stream and order) are the same on every process after
// each epoch, so rank 0's copy is every process's. What differs per process is its Dropout and
// augmentation streams: rank 0 gathers them and stores them per rank.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "typenet/io/detail/state_dict.hpp"
#include "typenet/io/weights.hpp"
#include "typenet/train/checkpoint.hpp"
#include "typenet/train/distributed.hpp"
#include "typenet/train/model.hpp"

namespace typenet::detail {

// Implemented in src/train/distributed_checkpoint.cpp.
// Metadata entries as one text ("key\tvalue\n" lines; neither holds a tab or a newline) and
// back: what each process sends rank 0.
std::string entries_text(const std::map<std::string, std::string>& entries);
void add_entries(const std::string& text, std::map<std::string, std::string>& into);
// What every process says when rank 0 could not write the checkpoint `path` (`what`: the
// writer's message): "cannot write the checkpoint: <file>: <why>", each said once.
std::string checkpoint_write_failure(const std::filesystem::path& path, const std::string& what);
// Before the first epoch: makes the checkpoint's folders and checks that the file can be
// written there (io::check_writable); throws std::runtime_error "fit: cannot write the
// checkpoint: <path>: <why>" otherwise, so that a wrong path shows before a whole epoch is spent.
void check_checkpoint_path(const std::filesystem::path& path);
// The one line rank 0 shows when a checkpoint of `written` processes resumes on `processes`
// (empty when they are the same): what continues exactly and what does not.
std::string resume_notice(std::size_t written, std::size_t processes);

// Writes the checkpoint after an epoch. Alone: save_checkpoint, whose errors propagate as they
// are. Among several processes: every process checks in, sends rank 0 its streams, rank 0
// writes the file (atomically), and every process waits at a check-in until the file is
// complete. Returns "" or, when a process failed (rank 0 could not write), the message every
// process agrees on: "rank 0 of p: cannot write the checkpoint: <file>: <why>".
template <class Net, class T, class Optimizer>
std::string save_everywhere(Coordinator& parallel, const std::filesystem::path& path,
                            Model<Net, T>& model, Optimizer& optimizer, const FitState& state,
                            const RunIdentity& run, const typename Model<Net, T>::Snapshot* best,
                            const std::mt19937_64* augment) {
  std::vector<io::detail::GeneratorEntry> dropout;
  io::detail::walk_network(model.network(), dropout);
  auto streams = stream_metadata(parallel.rank(), parallel.size(), dropout, augment);
  if (!parallel.active()) {
    save_checkpoint(path, model, optimizer, state, run, best, streams);
    return {};
  }
  std::string failure;
  try {
    parallel.check_in();  // nobody is missing from the gather
    const auto texts = parallel.gather(entries_text(streams));
    if (parallel.rank() == 0) {
      for (std::size_t r = 1; r < texts.size(); ++r) add_entries(texts[r], streams);
      try {
        save_checkpoint(path, model, optimizer, state, run, best, streams);
      } catch (const std::exception& error) {
        throw std::runtime_error(checkpoint_write_failure(path, error.what()));
      }
    }
  } catch (const std::exception& error) {
    failure = error.what();
  }
  if (!failure.empty()) return parallel.fail(failure);
  try {
    parallel.check_in();  // the file is complete: rank 0 comes here after its rename
  } catch (const TrainingError& error) {
    return error.what();
  }
  return {};
}

// Resumes this process from `path`, which every process reads (a shared file system, or a copy
// at the same path on every host). Among several processes they agree, after reading and
// before changing anything, that every one of them read it well: a file missing, corrupt or
// refused on any process is io::WeightsError with the same message on every process ("rank r
// of p: fit: cannot resume: ..."), and no process changed its model.
template <class Net, class T, class Optimizer>
Resumed resume_everywhere(Coordinator& parallel, const std::filesystem::path& path,
                          Model<Net, T>& model, Optimizer& optimizer, const RunIdentity& run,
                          FitState& state, std::optional<typename Model<Net, T>::Snapshot>& best) {
  if (!parallel.active()) return resume_checkpoint(path, model, optimizer, run, state, best);
  try {
    return resume_checkpoint(path, model, optimizer, run, state, best, parallel.rank(),
                             [&] { parallel.check_in(); });
  } catch (const std::exception& error) {
    // This process's own error, or (from the check-in) the one all agreed on.
    throw io::WeightsError(parallel.fail(error.what()));
  }
}

// Once the processes have started (a fresh run's streams seeded), puts back the streams the
// checkpoint kept for this process: its Dropout generators, and augmentation's when it had one
// of its own. A process the writing run did not have keeps a fresh run's. Returns true when
// augmentation now draws from `augment` (restored) rather than from the shared stream.
template <class Net, class T>
bool restore_streams(Model<Net, T>& model, const Resumed& resumed, std::mt19937_64& augment) {
  if (!resumed.streams) return false;
  std::vector<io::detail::GeneratorEntry> dropout;
  io::detail::walk_network(model.network(), dropout);
  for (std::size_t k = 0; k < dropout.size(); ++k)
    *dropout[k].generator = resumed.streams->dropout[k];
  if (resumed.streams->augment) augment = *resumed.streams->augment;
  return resumed.streams->augment.has_value();
}

}  // namespace typenet::detail

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
