// Turns the C++ examples of a Markdown file into one translation unit, so that a document whose
// code no longer compiles (or no longer does what it says) fails a test instead of drifting.
//
//   typenet_extract_examples DOC.md OUT.cpp [ROOT]
//
// Every ```cpp block of DOC.md is taken, in order. An HTML comment (invisible on GitHub) on the
// line before a block says how:
//   (none)                               file-scope code: type aliases, static_asserts, includes
//   <!-- example: run -->                statements, run as a Catch2 test case
//   <!-- example: compile -->            statements, compiled into a function that is not run
//                                        (it needs data files, or trains for minutes)
//   <!-- example: continues -->          statements appended to the previous run/compile block
//   <!-- example: fails PATH -->         a mistake: its lines must appear in the compile-fail case
//                                        PATH (relative to ROOT), which CTest proves fails with
//                                        the documented message
// A block that defines `int main()` is renamed and run as a test case that expects 0.
// Hidden code, compiled but not shown, sits in a comment of its own:
//   <!-- example-code: file   ...lines... -->   at file scope, here
//   <!-- example-code: next   ...lines... -->   at the start of the next block's statements
//   <!-- example-code: body   ...lines... -->   at the end of the previous block's statements
// Errors (an unknown directive, a `fails` block not in its case) go to stderr with DOC:line, and
// the exit status is 1.
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Failure {
  std::string text;
};

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Failure{"cannot read " + path};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A function body being assembled: a test case (run) or a function never called (compile).
struct Body {
  bool run = false;
  std::size_t line = 0;
  std::string code;
};

class Extractor {
 public:
  Extractor(std::string doc, std::string root) : doc_(std::move(doc)), root_(std::move(root)) {}

  std::string translate(const std::vector<std::string>& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string line = trim(lines[i]);
      if (starts_with(line, "<!-- example-code:")) {
        i = hidden_code(lines, i);
      } else if (starts_with(line, "<!-- example:")) {
        directive_ = trim(line.substr(13, line.find("-->") - 13));
        directive_line_ = i + 1;
        if (line.find("-->") == std::string::npos) fail(i + 1, "an example directive is one line");
      } else if (starts_with(line, "```cpp")) {
        i = block(lines, i);
      } else if (!line.empty() && !directive_.empty()) {
        fail(directive_line_, "'<!-- example: " + directive_ + " -->' is not followed by a block");
      }
    }
    close_body();
    if (!errors_.empty()) throw Failure{errors_};
    return "// Generated from " + doc_ + " by tests/docs/extract_examples.cpp; do not edit.\n" +
           "#include <catch2/catch.hpp>\n#include <cmath>\n#include <iostream>\n#include <ratio>\n"
           "#include <span>\n#include <tuple>\n#include <type_traits>\n#include <vector>\n"
           "#include <typenet/typenet.hpp>\nnamespace tn = typenet;\n\n" +
           out_;
  }

 private:
  void fail(std::size_t line, const std::string& what) {
    errors_ += doc_ + ":" + std::to_string(line) + ": " + what + "\n";
  }

  std::size_t hidden_code(const std::vector<std::string>& lines, std::size_t i) {
    const std::string where = trim(trim(lines[i]).substr(18));
    std::string code;
    std::size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]) != "-->"; ++j) code += lines[j] + "\n";
    if (j == lines.size()) fail(i + 1, "an example-code comment ends with a line '-->'");
    if (where == "file") {
      close_body();
      out_ += code;
    } else if (where == "next") {
      pending_ += code;
    } else if (where == "body") {
      if (!body_)
        fail(i + 1, "'example-code: body' follows no run/compile block");
      else
        body_->code += code;
    } else {
      fail(i + 1, "example-code is 'file', 'next' or 'body', not '" + where + "'");
    }
    return j;
  }

  std::size_t block(const std::vector<std::string>& lines, std::size_t i) {
    const std::size_t start = i + 1;
    std::string code;
    std::size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]) != "```"; ++j) code += lines[j] + "\n";
    if (j == lines.size()) fail(start, "a ```cpp block is not closed");
    const std::string directive = directive_;
    directive_.clear();
    ++blocks_;
    if (directive.empty()) {
      close_body();
      place_file_scope(code, start);
    } else if (directive == "run" || directive == "compile") {
      close_body();
      body_ = Body{directive == "run", start, pending_ + code};
    } else if (directive == "continues") {
      if (!body_)
        fail(start, "'example: continues' follows no run/compile block");
      else
        body_->code += pending_ + code;
    } else if (starts_with(directive, "fails ")) {
      check_in_case(code, trim(directive.substr(6)), start);
    } else {
      fail(directive_line_, "unknown example directive '" + directive + "'");
    }
    pending_.clear();
    return j;
  }

  // File-scope code; a main() becomes a test case that expects it to return 0.
  void place_file_scope(std::string code, std::size_t line) {
    const auto main_at = code.find("int main(");
    if (main_at == std::string::npos) {
      out_ += "#line " + std::to_string(line + 1) + " \"" + doc_ + "\"\n" + code + "\n";
      return;
    }
    // `auto`: a main() without a return statement returns 0, the renamed function nothing.
    const std::string name = "example_main_" + std::to_string(blocks_);
    code.replace(main_at, 8, "auto " + name);
    out_ += "#line " + std::to_string(line + 1) + " \"" + doc_ + "\"\n" + code + "\n";
    out_ += "TEST_CASE(\"" + doc_ + ":" + std::to_string(line) +
            ": main() returns 0\", \"[docs]\") {\n"
            "  []<class F>(F program) {\n"
            "    if constexpr (std::is_void_v<decltype(program())>)\n"
            "      program();\n"
            "    else\n"
            "      REQUIRE(program() == 0);\n"
            "  }(&" +
            name + ");\n}\n\n";
  }

  void close_body() {
    if (!body_) return;
    const std::string where = doc_ + ":" + std::to_string(body_->line);
    if (body_->run)
      out_ += "TEST_CASE(\"" + where + "\", \"[docs]\") {\n";
    else
      out_ += "[[maybe_unused]] static void example_" + std::to_string(body_->line) + "() {\n";
    out_ +=
        "#line " + std::to_string(body_->line + 1) + " \"" + doc_ + "\"\n" + body_->code + "}\n\n";
    body_.reset();
  }

  void check_in_case(const std::string& code, const std::string& path, std::size_t line) {
    std::string source;
    try {
      source = read(root_ + "/" + path);
    } catch (const Failure&) {
      fail(line, "the compile-fail case " + path + " does not exist");
      return;
    }
    std::istringstream in(code);
    for (std::string l; std::getline(in, l);) {
      const std::string t = trim(l.substr(0, l.find("//")));
      if (!t.empty() && source.find(t) == std::string::npos)
        fail(line, "'" + t + "' is not in " + path + ", the case that proves this mistake fails");
    }
  }

  std::string doc_, root_;
  std::string out_, pending_, directive_, errors_;
  std::size_t directive_line_ = 0, blocks_ = 0;
  std::optional<Body> body_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: typenet_extract_examples DOC.md OUT.cpp [ROOT]\n";
    return 2;
  }
  try {
    const std::string root = argc > 3 ? argv[3] : ".";
    std::string doc = argv[1];
    // Name the document relative to the repository in messages and #line directives.
    if (starts_with(doc, root + "/")) doc = doc.substr(root.size() + 1);
    std::istringstream text(read(argv[1]));
    std::vector<std::string> lines;
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    const std::string code = Extractor(doc, root).translate(lines);
    std::ofstream out(argv[2]);
    out << code;
    if (!out) throw Failure{std::string("cannot write ") + argv[2]};
  } catch (const Failure& f) {
    std::cerr << f.text;
    return 1;
  }
  return 0;
}
