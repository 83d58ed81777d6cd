// Weight files: a network's parameters and running statistics in a safetensors file, named as
// PyTorch's state_dict names them, so weights move to and from PyTorch unchanged.
//
//   tn::save_weights(model, "lenet.safetensors");                 // or a tn::Network
//   tn::LoadReport r = tn::load_weights(model, "lenet.safetensors");  // strict by default
//   tn::load_weights(model, "backbone.safetensors", {.strict = false});  // transfer learning
//
// Names: a network's layer K is "K." as in an nn.Sequential ("0.weight", "3.running_var"); a
// Block nests like an nn.Sequential ("4.0.weight"), a Residual's networks are "K.branch." and
// "K.shortcut.", the branches of Concat/CropConcat/Heads "K.<branch>." like an nn.ModuleList.
// A layer or path wrapped in Named<"conv1", ...> is "conv1." instead, one in Inline<...> adds
// nothing (spec/named.hpp); the zoo's names are torchvision's this way.
// Each layer's tensors are "weight" then "bias" (BatchNorm's gamma and beta too), then
// BatchNorm's "running_mean", "running_var" and "num_batches_tracked" (I64), as in PyTorch.
// A float network writes F32, a double one F64; reading accepts F16, BF16, F32 and F64.
// The file's __metadata__ holds "format": "pt", "typenet.network" (the layer list and parameter
// count) and "typenet.fingerprint" (a hash of every name and shape), so a file of another
// network is recognised and described in the error.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "typenet/graph/summary.hpp"
#include "typenet/io/detail/state_dict.hpp"
#include "typenet/io/safetensors.hpp"
#include "typenet/net/network.hpp"

namespace typenet {

struct LoadOptions {
  // Strict: the file must hold exactly the network's tensors, with its shapes (PyTorch's
  // load_state_dict(strict=True)). Otherwise the tensors whose names and shapes match are loaded
  // and the rest reported.
  bool strict = true;
};

// What load_weights did, by tensor name.
struct LoadReport {
  std::vector<std::string> loaded;
  std::vector<std::string> missing;     // the network's, not in the file (left as they were)
  std::vector<std::string> unexpected;  // the file's, not in the network
  std::vector<std::string> mismatched;  // in both, with another shape (left as they were)
};

// The state_dict names of a network, in PyTorch's order (see the top of this header).
template <class Net, class T = float>
std::vector<std::string> state_dict_names() {
  std::vector<io::detail::StateEntry> entries;
  io::detail::walk_types<Net>(entries);
  std::vector<std::string> names;
  for (auto& e : entries) names.push_back(std::move(e.name));
  return names;
}

// The same names with their tensors' shapes (PyTorch's tensor.shape; a scalar's is empty), for
// comparing a network with a PyTorch model's state_dict.
template <class Net, class T = float>
std::vector<std::pair<std::string, std::vector<std::size_t>>> state_dict_shapes() {
  std::vector<io::detail::StateEntry> entries;
  io::detail::walk_types<Net>(entries);
  std::vector<std::pair<std::string, std::vector<std::size_t>>> shapes;
  for (auto& e : entries) shapes.emplace_back(std::move(e.name), std::move(e.shape));
  return shapes;
}

namespace io::detail {
// The network's description for the metadata: input and top-level layers, parameter count.
std::string describe(const Summary& summary);
// Implemented in src/io/weights.cpp.
void save(const std::vector<StateEntry>& entries, const std::string& description,
          const std::filesystem::path& path, const std::map<std::string, std::string>& metadata);
LoadReport load(const std::vector<StateEntry>& entries, const std::string& description,
                const std::filesystem::path& path, const LoadOptions& options);
// The same from a file already read. A checkpoint's (train/checkpoint.hpp) own tensors,
// "optimizer.*" and "fit.*", are neither loaded nor reported unexpected.
LoadReport load(const std::vector<StateEntry>& entries, const std::string& description,
                const Safetensors& file, const LoadOptions& options);
// The pieces of save, for checkpoints: the entries as tensors to write (they point into the
// network), and the metadata every typenet weight file carries.
std::vector<TensorView> tensor_views(const std::vector<StateEntry>& entries);
std::map<std::string, std::string> weight_metadata(const std::vector<StateEntry>& entries,
                                                   const std::string& description);

template <class Net, class T, Fusion F>
std::vector<StateEntry> entries_of(Network<Net, T, F>& network) {
  std::vector<StateEntry> entries;
  walk_network(network, entries);
  return entries;
}
}  // namespace io::detail

// Writes every parameter and running statistic to a safetensors file, atomically (a crash
// leaves the old file or the new one). `metadata` is added to the file's __metadata__ (e.g. the
// normalisation the network was trained with); its keys may not be "format" or begin with
// "typenet." (std::invalid_argument). Throws std::runtime_error naming the file when it cannot
// be written.
template <class Net, class T, Fusion F>
void save_weights(Network<Net, T, F>& network, const std::filesystem::path& path,
                  const std::map<std::string, std::string>& metadata = {}) {
  io::detail::save(io::detail::entries_of(network), io::detail::describe(summary<Net>()), path,
                   metadata);
}

// Loads a safetensors file into the network. Strict (the default): any missing, unexpected or
// differently shaped tensor, or a non-float dtype, throws io::WeightsError naming the file, the
// tensor, the expected and the found shape and dtype, and the first missing or unexpected name,
// and describing the file's network when it is another; nothing is changed then. In either
// mode, a tensor holding NaN, infinity, a value beyond the scalar type, or a negative running
// variance throws io::WeightsError naming it, before anything is changed. Also throws
// io::WeightsError for a file that is not a valid safetensors file (see io/safetensors.hpp).
template <class Net, class T, Fusion F>
LoadReport load_weights(Network<Net, T, F>& network, const std::filesystem::path& path,
                        const LoadOptions& options = {}) {
  return io::detail::load(io::detail::entries_of(network), io::detail::describe(summary<Net>()),
                          path, options);
}

// The same for a tn::Model (or anything that holds a network()).
template <class M>
requires requires(M& m) { m.network(); }
void save_weights(M& model, const std::filesystem::path& path,
                  const std::map<std::string, std::string>& metadata = {}) {
  save_weights(model.network(), path, metadata);
}
template <class M>
requires requires(M& m) { m.network(); }
LoadReport load_weights(M& model, const std::filesystem::path& path,
                        const LoadOptions& options = {}) {
  return load_weights(model.network(), path, options);
}

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
