// Weight files: state_dict entries to and from safetensors, the same for every network.
#include "typenet/io/weights.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>

namespace typenet::io::detail {

namespace {

std::string shape_string(const std::vector<std::size_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::size_t elements(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

// FNV-1a (64 bit) over every name and shape: equal for networks with equal state_dicts.
std::string fingerprint(const std::vector<StateEntry>& entries) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&](const std::string& text) {
    for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  };
  for (const auto& e : entries) mix(e.name + shape_string(e.shape) + ";");
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

template <class Value>
std::span<const std::byte> bytes_of(const Value* values, std::size_t count) {
  return {reinterpret_cast<const std::byte*>(values), count * sizeof(Value)};
}

bool is_float(DType d) { return d != DType::I64; }

}  // namespace

std::string describe(const Summary& summary) {
  std::string text;
  for (const auto& row : summary.rows()) {
    if (row.index.find('.') != std::string::npos) continue;  // inside a composite layer
    if (!text.empty()) text += " -> ";
    text += row.index.empty() ? "Input " + shape_text(row.output_shape) : row.layer;
  }
  return text + " (" + std::to_string(summary.parameter_count()) + " parameters)";
}

std::map<std::string, std::string> weight_metadata(const std::vector<StateEntry>& entries,
                                                   const std::string& description) {
  return {{"format", "pt"},
          {"typenet.network", description},
          {"typenet.fingerprint", fingerprint(entries)}};
}

std::vector<TensorView> tensor_views(const std::vector<StateEntry>& entries) {
  std::vector<TensorView> views;
  views.reserve(entries.size());
  for (const auto& e : entries) {
    const std::size_t n = elements(e.shape);
    if (e.integer)
      views.push_back({e.name, DType::I64, e.shape, bytes_of(e.count, 1)});
    else if (e.f32 != nullptr)
      views.push_back({e.name, DType::F32, e.shape, bytes_of(e.f32, n)});
    else
      views.push_back({e.name, DType::F64, e.shape, bytes_of(e.f64, n)});
  }
  return views;
}

void save(const std::vector<StateEntry>& entries, const std::string& description,
          const std::filesystem::path& path, const std::map<std::string, std::string>& metadata) {
  auto all = weight_metadata(entries, description);
  for (const auto& [key, value] : metadata) {
    if (key == "format" || key.rfind("typenet.", 0) == 0)
      throw std::invalid_argument("save_weights: the metadata key '" + key +
                                  "' is typenet's own (\"format\" and \"typenet.*\")");
    all[key] = value;
  }
  write_safetensors(path, tensor_views(entries), all);
}

LoadReport load(const std::vector<StateEntry>& entries, const std::string& description,
                const std::filesystem::path& path, const LoadOptions& options) {
  return load(entries, description, Safetensors::read(path), options);
}

LoadReport load(const std::vector<StateEntry>& entries, const std::string& description,
                const Safetensors& file, const LoadOptions& options) {
  const std::string& name = file.name();
  LoadReport report;
  std::set<std::string> expected;
  // Every check before the first copy: a refused file changes nothing.
  std::vector<std::pair<const StateEntry*, const TensorInfo*>> plan;
  std::string first_problem;
  for (const auto& e : entries) {
    expected.insert(e.name);
    const TensorInfo* t = file.find(e.name);
    if (t == nullptr) {
      report.missing.push_back(e.name);
      continue;
    }
    const bool dtype_fits = e.integer ? t->dtype == DType::I64 : is_float(t->dtype);
    if (t->shape != e.shape || !dtype_fits) {
      report.mismatched.push_back(e.name);
      if (first_problem.empty())
        first_problem = "tensor '" + e.name + "' is " + shape_string(t->shape) + " " +
                        std::string(to_string(t->dtype)) + " in the file, the network expects " +
                        shape_string(e.shape) +
                        (dtype_fits  ? ""
                         : e.integer ? " I64"
                                     : " of a floating-point dtype (F16, BF16, F32 or F64)");
      continue;
    }
    // NaN or infinite weights (or F64 values beyond float) would make every output NaN or
    // infinite; a negative running variance would too (its square root).
    if (!e.integer) {
      const std::size_t bad = file.first_nonfinite(*t, e.f32 != nullptr);
      const bool variance =
          e.name.size() >= 11 && e.name.compare(e.name.size() - 11, 11, "running_var") == 0;
      std::size_t negative = t->elements();
      if (variance && bad == t->elements()) {
        std::vector<double> values(t->elements());
        file.copy_to(*t, std::span<double>(values));
        for (std::size_t i = 0; i < values.size() && negative == values.size(); ++i)
          if (values[i] < 0) negative = i;
      }
      if (bad != t->elements() || negative != t->elements())
        throw WeightsError(name + ": tensor '" + e.name + "' holds " +
                           (bad != t->elements()
                                ? "a value that is NaN, infinite or beyond the network's "
                                  "scalar type at element " +
                                      std::to_string(bad)
                                : "a negative variance at element " + std::to_string(negative)) +
                           "; nothing was loaded");
    }
    plan.emplace_back(&e, t);
  }
  const bool checkpoint = file.metadata().count("typenet.checkpoint") != 0;
  const auto own = [](const std::string& tensor) {
    return tensor.rfind("optimizer.", 0) == 0 || tensor.rfind("fit.", 0) == 0;
  };
  for (const auto& t : file.tensors())
    if (!expected.count(t.name) && !(checkpoint && own(t.name)))
      report.unexpected.push_back(t.name);

  if (options.strict &&
      (!report.missing.empty() || !report.unexpected.empty() || !report.mismatched.empty())) {
    std::string what = name + ": does not fit the network: ";
    if (!first_problem.empty())
      what += first_problem;
    else if (!report.missing.empty())
      what += "tensor '" + report.missing.front() + "' is missing";
    else
      what += "unexpected tensor '" + report.unexpected.front() + "'";
    what += " (" + std::to_string(report.missing.size()) + " missing, " +
            std::to_string(report.unexpected.size()) + " unexpected, " +
            std::to_string(report.mismatched.size()) + " of another shape or dtype)";
    const auto& meta = file.metadata();
    const auto theirs = meta.find("typenet.fingerprint");
    const auto network = meta.find("typenet.network");
    if (theirs != meta.end() && theirs->second != fingerprint(entries) && network != meta.end())
      what += "; this file holds the network " + network->second + ", this one is " + description;
    what += "; load_weights(..., {.strict = false}) loads what fits";
    throw WeightsError(what);
  }
  for (const auto& [e, t] : plan) {
    if (e->integer)
      *e->count = file.integer(*t);
    else if (e->f32 != nullptr)
      file.copy_to(*t, std::span<float>(e->f32, elements(e->shape)));
    else
      file.copy_to(*t, std::span<double>(e->f64, elements(e->shape)));
    report.loaded.push_back(e->name);
  }
  return report;
}

}  // namespace typenet::io::detail
