// CommandLine (arguments.hpp) on CLI11. The one file of the examples that includes CLI11: the
// header-only CLI11 2.1 cost each example that included it 9-12 s of compile time, and is now
// compiled once into typenet_example_arguments (docs/design.md has the figures).
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <system_error>
#include <typenet/kernel/parallel.hpp>
#include <utility>
#include <vector>

#include "arguments.hpp"

struct CommandLine::Impl {
  std::unique_ptr<CLI::App> owned;  // the program's; a subcommand's belongs to its parent
  CLI::App* app = nullptr;
  std::vector<std::unique_ptr<CommandLine>> subcommands;
  std::vector<std::function<std::string()>> checks;
};

CommandLine::CommandLine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CommandLine::CommandLine(const std::string& description, const std::string& program)
    : impl_(std::make_unique<Impl>()) {
  impl_->owned = std::make_unique<CLI::App>(description, program);
  impl_->app = impl_->owned.get();
}

CommandLine::~CommandLine() = default;

namespace {

// A CLI11 validator from a function that returns what is wrong with a text, or "".
CLI::Validator validator(std::function<std::string(const std::string&)> problem,
                         const std::string& kind) {
  return CLI::Validator(
      [problem = std::move(problem)](std::string& text) -> std::string { return problem(text); },
      kind);
}

template <class Path>  // std::string or std::filesystem::path
void add_nonempty_path(CLI::App& app, const std::string& name, Path& value,
                       const std::string& description, bool show_default) {
  const auto nonempty = validator(
      [](const std::string& text) {
        return text.empty() ? std::string("an empty path (is a shell variable unset?)")
                            : std::string();
      },
      "PATH");
  auto* option = app.add_option(name, value, description)->check(nonempty);
  if (show_default) option->capture_default_str();
}

}  // namespace

void CommandLine::add_count(const std::string& name, std::size_t& value,
                            const std::string& description, std::size_t low, std::size_t high) {
  const auto digits = validator(
      [](const std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return "Value '" + text + "' is not a whole number 0, 1, 2, ... (digits only)";
        return {};
      },
      "N");
  impl_->app->add_option(name, value, description)
      ->capture_default_str()
      ->check(digits)
      ->check(CLI::Range(low, high));
}

void CommandLine::add_bounded(const std::string& name, std::size_t& value,
                              const std::string& description, std::size_t low, std::size_t high) {
  impl_->app->add_option(name, value, description)
      ->capture_default_str()
      ->check(CLI::Range(low, high));
}

void CommandLine::add_path(const std::string& name, std::string& value,
                           const std::string& description, bool show_default) {
  add_nonempty_path(*impl_->app, name, value, description, show_default);
}

void CommandLine::add_path(const std::string& name, std::filesystem::path& value,
                           const std::string& description, bool show_default) {
  add_nonempty_path(*impl_->app, name, value, description, show_default);
}

void CommandLine::add_threads(std::size_t& threads) {
  add_count(
      "--threads", threads,
      "kernel threads (0: all " + std::to_string(typenet::max_threads()) + " hardware threads)", 0,
      typenet::max_threads());
}

void CommandLine::add_seed(const std::string& name, std::uint64_t& value,
                           const std::string& description) {
  const auto whole_number = validator(
      [](const std::string& text) -> std::string {
        std::uint64_t parsed = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (text.empty() || error != std::errc{} || end != text.data() + text.size())
          return "Value " + text + " is not a whole number from 0 to 18446744073709551615";
        return {};
      },
      "UINT");
  impl_->app->add_option(name, value, description)->capture_default_str()->check(whole_number);
}

void CommandLine::add_positive(const std::string& name, double& value,
                               const std::string& description) {
  const auto positive = validator(
      [](const std::string& text) -> std::string {
        double parsed = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (text.empty() || error != std::errc{} || end != text.data() + text.size() ||
            !std::isfinite(parsed) || !(parsed > 0))
          return "Value " + text + " is not a finite number above 0";
        return {};
      },
      "POSITIVE");
  impl_->app->add_option(name, value, description)->capture_default_str()->check(positive);
}

void CommandLine::add_choice(const std::string& name, std::string& value,
                             const std::string& description,
                             const std::vector<std::string>& choices,
                             const std::string& shown_default) {
  impl_->app->add_option(name, value, description)
      ->default_str(shown_default)
      ->check(CLI::IsMember(choices));
}

void CommandLine::add_checked(const std::string& name, std::string& value,
                              const std::string& description,
                              std::function<std::string(const std::string&)> problem,
                              const std::string& kind) {
  impl_->app->add_option(name, value, description)->check(validator(std::move(problem), kind));
}

void CommandLine::add_required(const std::string& name, std::string& value,
                               const std::string& description) {
  impl_->app->add_option(name, value, description)->required();
}

void CommandLine::add_required(const std::string& name, std::vector<std::string>& values,
                               const std::string& description) {
  impl_->app->add_option(name, values, description)->required();
}

void CommandLine::add_check(std::function<std::string()> problem) {
  // One final callback runs them all (CLI11 keeps one per App); its ValidationError is reported
  // as the options' own errors are.
  if (impl_->checks.empty())
    impl_->app->final_callback([impl = impl_.get()] {
      for (const auto& check : impl->checks)
        if (const std::string text = check(); !text.empty()) throw CLI::ValidationError(text);
    });
  impl_->checks.push_back(std::move(problem));
}

CommandLine& CommandLine::add_subcommand(const std::string& name, const std::string& description) {
  auto impl = std::make_unique<Impl>();
  impl->app = impl_->app->add_subcommand(name, description);
  impl_->subcommands.push_back(std::unique_ptr<CommandLine>(new CommandLine(std::move(impl))));
  return *impl_->subcommands.back();
}

bool CommandLine::given() const { return bool(*impl_->app); }

std::string CommandLine::help() const { return impl_->app->help(); }

std::optional<int> CommandLine::parse(int argc, char** argv, bool print_help) {
  CLI::App& app = *impl_->app;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    if (!print_help) return 0;
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    report_error(app.get_name(), std::string(error.what()) + " (--help lists the arguments)");
    return 2;
  }
  return std::nullopt;
}
