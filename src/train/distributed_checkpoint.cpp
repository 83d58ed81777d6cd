// Checkpoints of data-parallel training: what rank 0 gathers, and the notice of a resume on
// another number of processes.
#include "typenet/train/distributed_checkpoint.hpp"

#include "typenet/io/atomic_file.hpp"

namespace typenet::detail {

namespace {

// "rank 3", "ranks 2 and 3" or "ranks 1 to 3".
std::string ranks(std::size_t first, std::size_t last) {
  if (first == last) return "rank " + std::to_string(first);
  return "ranks " + std::to_string(first) + (last == first + 1 ? " and " : " to ") +
         std::to_string(last);
}

}  // namespace

std::string entries_text(const std::map<std::string, std::string>& entries) {
  std::string text;
  for (const auto& [key, value] : entries) {
    if ((key + value).find_first_of("\t\n") != std::string::npos)
      throw std::logic_error("checkpoint: the metadata entry '" + key +
                             "' holds a tab or a newline");
    text += key + '\t' + value + '\n';
  }
  return text;
}

void add_entries(const std::string& text, std::map<std::string, std::string>& into) {
  for (std::size_t begin = 0; begin < text.size();) {
    const auto tab = text.find('\t', begin), end = text.find('\n', begin);
    if (tab == std::string::npos || end == std::string::npos || tab > end)
      throw std::logic_error("checkpoint: a process sent malformed stream entries");
    into[text.substr(begin, tab - begin)] = text.substr(tab + 1, end - tab - 1);
    begin = end + 1;
  }
}

std::string checkpoint_write_failure(const std::filesystem::path& path, const std::string& what) {
  // save_checkpoint's own words ("<file>: cannot write the checkpoint: <why>") and the writer's
  // ("<file>: <why>") both already name the file: keep only the reason.
  std::string why = what;
  for (const std::string& prefix :
       {path.string() + ": cannot write the checkpoint: ", path.string() + ": "})
    if (why.compare(0, prefix.size(), prefix) == 0) {
      why.erase(0, prefix.size());
      break;
    }
  return "cannot write the checkpoint: " + path.string() + ": " + why;
}

void check_checkpoint_path(const std::filesystem::path& path) {
  try {
    make_checkpoint_folder(path);
    io::check_writable(path);
  } catch (const std::exception& error) {
    throw std::runtime_error("fit: " + checkpoint_write_failure(path, error.what()));
  }
}

std::string resume_notice(std::size_t written, std::size_t processes) {
  if (written == processes) return {};
  std::string streams;
  if (written == 1)
    streams =
        "rank 0 continues its Dropout streams; its augmentation (which drew from the "
        "shared stream alone) and " +
        ranks(1, processes - 1) + " start from the seed as in a fresh run";
  else if (processes < written)
    streams = (processes == 1 ? std::string("rank 0 continues its")
                              : ranks(0, processes - 1) + " continue their") +
              " Dropout and augmentation streams, those of " + ranks(processes, written - 1) +
              " end";
  else
    streams = ranks(0, written - 1) + " continue their Dropout and augmentation streams, " +
              ranks(written, processes - 1) + (written == processes - 1 ? " starts" : " start") +
              " from the seed as in a fresh run";
  return "fit: resuming a checkpoint of " + std::to_string(written) + " process" +
         (written == 1 ? "" : "es") + " on " + std::to_string(processes) +
         ": the weights, optimiser state, schedule, epoch, history and shuffling continue "
         "exactly; " +
         streams +
         "; the gradient sums round differently, so this is not bit for bit the uninterrupted "
         "run (docs/distributed.md)";
}

}  // namespace typenet::detail
