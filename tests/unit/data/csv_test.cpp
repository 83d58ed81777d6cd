// The CSV reader: labels, feature values, the header rule, damaged lines; issue 12's examples.
#include <catch2/catch.hpp>
#include <clocale>
#include <string>
#include <typenet/typenet.hpp>

#include "files.hpp"

namespace tn = typenet;
using namespace typenet_test;

namespace {

tn::data::Dataset read(const std::string& text, std::size_t label_column = 2,
                       tn::data::CsvOptions options = {}) {
  const auto path = scratch("table.csv");
  write_text(path, text);
  return tn::data::read_csv(path, label_column, options);
}

// The message of reading `text`, which must fail; it must start with the file's name.
std::string error_of(const std::string& text, std::size_t label_column = 2,
                     tn::data::CsvOptions options = {}) {
  try {
    read(text, label_column, options);
  } catch (const tn::data::DataError& error) {
    const std::string message = error.what();
    REQUIRE(message.rfind(scratch("table.csv").string() + ":", 0) == 0);
    return message.substr(scratch("table.csv").string().size());
  }
  FAIL("no error for: " << text);
  return "";
}

}  // namespace

TEST_CASE("CSV: a table with a header, and the basic errors", "[data]") {
  const auto table = read("a,b,label\n1.5,2,0\n3,4.25,2\n");
  CHECK(table.size() == 2);
  CHECK(table.classes == 3);
  CHECK(table.width == 2);
  CHECK(table.image(1)[1] == 4.25f);
  CHECK(error_of("1,2,0\n3,x,1\n") == ":2:2: 'x' is not a number");
  CHECK(error_of("1,2,0\n3,1\n") == ":2: 2 columns, but line 1 has 3");
  CHECK(error_of("1,2,0\n\n3,1,1,1\n") == ":3: 4 columns, but line 1 has 3");  // blank lines count
  CHECK(error_of("1,2\n", 2) ==
        ":1: the label column is 2 (counted from 0), but the line has 2 columns");
  CHECK(error_of("0\n1\n", 0) == ":1: only the label column: no features");
  CHECK(error_of("") == ": no data rows");
  CHECK(error_of("a,b,c\n") == ": a header line but no data rows");
}

TEST_CASE("CSV: a label must be a whole number from 0 to below max_classes", "[data]") {
  // Issue 12: labels outside int were undefined behaviour; 1e8 made 100,000,001 classes.
  const std::string rule =
      " is not a class index (a whole number from 0 to 99999, "
      "typenet::data::max_classes - 1)";
  CHECK(error_of("1,2,inf\n") == ":1:3: label 'inf'" + rule);
  CHECK(error_of("1,2,1e10\n") == ":1:3: label '1e10'" + rule);
  CHECK(error_of("1,2,6E59\n") == ":1:3: label '6E59'" + rule);
  CHECK(error_of("1,2,0\n1,2,2147483647\n") == ":2:3: label '2147483647'" + rule);
  CHECK(error_of("1,2,1e8\n") == ":1:3: label '1e8'" + rule);
  // Siblings: every other way a number is not a class index.
  for (const char* label : {"-1", "1.5", "nan", "-inf", "1e400", "1e-400", "100000", "-2147483649",
                            "4294967296", "9223372036854775808", "1e308"})
    CHECK(error_of(std::string("1,2,") + label + "\n") ==
          std::string(":1:3: label '") + label + "'" + rule);
  CHECK(error_of("1,2,x\n1,2,0\n", 2, {.header = tn::data::CsvHeader::absent}) ==
        ":1:3: label 'x' is not a number");
  // The largest class index is fine, and so are a whole number written as a decimal and -0.
  const auto wide = read("1,2,99999\n1,2,1.0\n1,2,-0\n");
  CHECK(wide.classes == 100000);
  CHECK(wide.labels == std::vector<int>{99999, 1, 0});
}

TEST_CASE("CSV: feature values are finite floats, read without a locale", "[data]") {
  // Issue 12: NaN/Inf loaded without a word; 1e-400 (a valid tiny number) was "not a number".
  CHECK(error_of("nan,2,0\n") == ":1:1: 'nan' is not a finite number");
  CHECK(error_of("1,2,0\n1,inf,0\n") == ":2:2: 'inf' is not a finite number");
  CHECK(error_of("1,-INFINITY,0\n") == ":1:2: '-INFINITY' is not a finite number");
  CHECK(error_of("1e400,2,0\n") == ":1:1: '1e400' is beyond the range of float (3.4e38)");
  CHECK(error_of("1,-1e39,0\n") == ":1:2: '-1e39' is beyond the range of float (3.4e38)");
  const auto tiny = read("1e-400,-1e-400,0\n1e-5000,1e-320,0\n0.5e-44,+7,1\n");
  CHECK(tiny.images == std::vector<float>{0, -0.0f, 0, 0, float(0.5e-44), 7});
  CHECK(std::signbit(tiny.images[1]));
  // Spaces around a cell and Windows line ends are fine; a comma decimal is not a number.
  CHECK(read(" 1.5 ,\t2\t,0\r\n3,4,1\r\n").image(0)[0] == 1.5f);
  CHECK(error_of("\"1,5\",2,0\n", 2) == ":1:1: '\"1' is not a number");
  // A C locale with a decimal comma does not change how numbers are read (std::from_chars).
  if (const char* old = std::setlocale(LC_NUMERIC, nullptr)) {
    const std::string saved = old;
    if (std::setlocale(LC_NUMERIC, "de_DE.UTF-8") != nullptr) {
      const auto table = read("1.5,2,0\n");
      std::setlocale(LC_NUMERIC, saved.c_str());
      CHECK(table.image(0)[0] == 1.5f);
    }
  }
}

TEST_CASE("CSV: a damaged first line is an error on line 1, never a skipped header", "[data]") {
  // Issue 12: a header-less CSV lost a damaged first row as if it were a header.
  const auto bom = read(
      "\xEF\xBB\xBF"
      "1,2,0\n3,4,1\n");  // a UTF-8 byte-order mark: stripped
  CHECK(bom.size() == 2);
  CHECK(bom.image(0)[0] == 1);
  CHECK(error_of("1,,0\n3,4,1\n") == ":1:2: empty cell");
  CHECK(error_of(std::string("1,\0"
                             "2,0\n3,4,1\n",
                             13)) == ":1:2: a NUL byte in '\\02' (a binary or damaged file)");
  CHECK(error_of("1e400,2,0\n3,4,1\n") == ":1:1: '1e400' is beyond the range of float (3.4e38)");
  // Siblings: one number, or one empty cell, among names makes the line data.
  CHECK(error_of("a,2,label\n3,4,1\n") == ":1:1: 'a' is not a number");
  CHECK(error_of(",b,label\n3,4,1\n") == ":1:1: empty cell");
  CHECK(error_of("\xEF\xBB\xBF"
                 "a,b,c\n3,x,1\n") == ":2:2: 'x' is not a number");
  CHECK(error_of("a,b,c\n3,4\n") == ":2: 2 columns, but line 1 has 3");
  // A header of names is one; a BOM before it too.
  CHECK(read("\xEF\xBB\xBF"
             "x,y,class\n3,4,1\n")
            .size() == 1);
}

TEST_CASE("CSV: the header option", "[data]") {
  using tn::data::CsvHeader;
  const std::string numbers = "9,9,0\n3,4,1\n";
  CHECK(read(numbers).size() == 2);
  CHECK(read(numbers, 2, {.header = CsvHeader::present}).size() == 1);
  CHECK(read(numbers, 2, {.header = CsvHeader::absent}).size() == 2);
  CHECK(read("a,1,,\n3,4,1,0\n", 3, {.header = CsvHeader::present}).size() == 1);
  CHECK(error_of("a,b,c\n3,4,1\n", 2, {.header = CsvHeader::absent}) ==
        ":1:1: 'a' is not a number");
  CHECK(error_of("a,b\n3,4,1\n", 2, {.header = CsvHeader::present}) ==
        ":1: the label column is 2 (counted from 0), but the line has 2 columns");
}

TEST_CASE("CSV: bounded lines and files, directories and devices", "[data]") {
  CHECK(
      error_of(std::string(tn::data::max_csv_line_bytes + 1, '1') + "\n") ==
      ":1: longer than 1048576 bytes (typenet::data::max_csv_line_bytes): not a table of numbers");
  const auto dir = scratch("a-directory");
  std::filesystem::create_directories(dir);
  REQUIRE_THROWS_WITH(tn::data::read_csv(dir, 0), Catch::Contains("a-directory: is a directory"));
  REQUIRE_THROWS_WITH(tn::data::read_csv("/dev/zero", 0),
                      Catch::StartsWith("/dev/zero: is not a regular file"));
  REQUIRE_THROWS_WITH(tn::data::read_csv(scratch("missing.csv"), 0),
                      Catch::EndsWith("missing.csv: no such file"));
  // gzip is read as it is for the other formats.
  const std::string text = "1,2,0\n3,4,1\n";
  write_gzip(scratch("table.csv.gz"), std::vector<std::uint8_t>(text.begin(), text.end()));
  CHECK(tn::data::read_csv(scratch("table.csv.gz"), 2).size() == 2);
}
