// libFuzzer harness of the CSV reader. The first byte chooses the header option (mod 3) and the
// label column (/ 3, mod 5); the rest is the file's text. An accepted table must pass the dataset
// invariants, with finite features, and reading it again gives the same dataset.
#include <cstdint>
#include <string_view>

#include "typenet/data/csv.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // a test of the internal entry point
#include "invariants.hpp"
#include "typenet/data/detail/parse.hpp"

namespace data = typenet::data;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 1) return 0;
  const data::CsvOptions options{.header = data::CsvHeader(bytes[0] % 3)};
  const std::size_t label_column = (bytes[0] / 3) % 5;
  const std::string_view text(reinterpret_cast<const char*>(bytes + 1), size - 1);
  data::Dataset set;
  try {
    set = data::detail::parse_csv(text, "fuzz.csv", label_column, options);
  } catch (const data::DataError&) {
    return 0;
  }
  typenet_fuzz::require(set.size() > 0 && set.width >= 1, "a row and a feature at least");
  if (options.header != data::CsvHeader::present)  // a header given as one may hold anything
    typenet_fuzz::require(text.find('\0') == std::string_view::npos, "no NUL byte is accepted");
  typenet_fuzz::require_dataset(set, set.size(), 1, 1, set.width, false);
  const auto again = data::detail::parse_csv(text, "fuzz.csv", label_column, options);
  typenet_fuzz::require(
      again.labels == set.labels && again.images == set.images && again.classes == set.classes,
      "the same labels on a second reading");
  return 0;
}
