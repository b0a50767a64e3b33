#include "cli/help.hpp"

#include <fmt/format.h>
#include <hwy/targets.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <opencv2/core/version.hpp>
#include <sstream>

#include "core/echo.hpp"
#include "core/version.hpp"
#include "io/image_io.hpp"

namespace sepconv::cli {
namespace {

constexpr size_t kNameColumn = 30;

/// `text` broken into lines of at most `width` characters at spaces (a longer word stays whole).
std::vector<std::string> wrapped(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::istringstream paragraphs(text);
  for (std::string paragraph; std::getline(paragraphs, paragraph);) {
    std::istringstream words(paragraph);
    std::string line;
    for (std::string word; words >> word;) {
      if (!line.empty() && line.size() + 1 + word.size() > width) {
        lines.push_back(line);
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
    }
    lines.push_back(line);
  }
  return lines;
}

/// "  NAME            description..." with the description wrapped in its own column; a name
/// wider than the column puts the description on the next line.
std::string two_columns(const std::string& left, const std::string& description) {
  const std::vector<std::string> lines = wrapped(description, kHelpWidth - kNameColumn);
  std::string out = left;
  if (lines.empty() || (lines.size() == 1 && lines[0].empty())) return out + "\n";
  size_t first = 0;
  if (left.size() + 2 <= kNameColumn) {
    out += std::string(kNameColumn - left.size(), ' ') + lines[0] + "\n";
    first = 1;
  } else {
    out += "\n";
  }
  for (size_t i = first; i < lines.size(); ++i) {
    out += std::string(kNameColumn, ' ') + lines[i] + "\n";
  }
  return out;
}

/// CLI11 appends each validator's description to the type ("INT:INT in [1 - 256]",
/// "TEXT:{a,b}", "TEXT:BORDER"): keep a validator's own name (BORDER, I/N), else the bare type.
std::string value_name(const std::string& type) {
  const size_t colon = type.find(':');
  if (colon == std::string::npos) return type;
  const std::string validator = type.substr(colon + 1);
  const bool named = !validator.empty() && validator.find_first_of(" {[") == std::string::npos &&
                     validator != "POSITIVE" && validator != "NONNEGATIVE";
  return named ? validator : type.substr(0, colon);
}

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* option) const override {
    if (!option->get_option_text().empty()) return " " + option->get_option_text();
    std::string out;
    if (option->get_type_size() != 0) {
      const std::string bare = value_name(option->get_type_name());
      if (!bare.empty()) out += " " + bare;
      if (option->get_expected_max() == CLI::detail::expected_max_vector_size) out += " ...";
      if (option->get_required()) out += " (required)";
    }
    return out;
  }

  std::string make_option_desc(const CLI::Option* option) const override {
    std::string description = option->get_description();
    const std::string value = option->get_default_str();
    if (!value.empty() && description.find("default") == std::string::npos) {
      description += " (default: " + value + ")";
    }
    return description;
  }

  std::string make_option(const CLI::Option* option, bool is_positional) const override {
    return two_columns("  " + make_option_name(option, is_positional) + make_option_opts(option),
                       make_option_desc(option));
  }

  std::string make_subcommand(const CLI::App* command) const override {
    return two_columns("  " + command->get_display_name(true), command->get_description());
  }

  std::string make_description(const CLI::App* app) const override {
    std::string out;
    for (const std::string& line : wrapped(app->get_description(), kHelpWidth)) out += line + "\n";
    return out.empty() ? out : out + "\n";
  }
};

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> long_options(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

/// Top-level options that take a value, so the value is not mistaken for the command.
bool takes_value(const std::string& token) {
  return token == "--threads" || token == "--max-pixels";
}

std::atomic<bool> quiet_flag{false};

}  // namespace

std::shared_ptr<CLI::Formatter> make_help_formatter() {
  auto formatter = std::make_shared<HelpFormatter>();
  formatter->column_width(kNameColumn);
  return formatter;
}

void set_examples(CLI::App& command, const std::vector<std::string>& examples) {
  std::string footer = "Examples:";
  for (const std::string& example : examples) footer += "\n  " + example;
  command.footer(footer);
}

void add_command_examples(CLI::App& app) {
  const std::pair<const char*, std::vector<std::string>> examples[] = {
      {"apply",
       {"sepconv apply photo.png -k sobel_x -o gx.png          # |x derivative| in 8 bits",
        "sepconv apply photo.png -k sobel_x --depth f32 -o gx.tif   # signed, exact",
        "sepconv apply photo.jpg -k gaussian:7 --mode separable -o blur.jpg",
        "sepconv apply shots/ -r -k box5 --out-dir out/ --stats json > stats.jsonl"}},
      {"edges",
       {"sepconv edges photo.png -o edges.png                  # clamped, as convertScaleAbs",
        "sepconv edges photo.png --threshold otsu -o map.png   # binary edge map",
        "sepconv edges scan16.tif --depth u16 -o edges16.tif",
        "sepconv edges shots/ -r --out-dir edges/ --jobs 2 --summary"}},
      {"compare",
       {"sepconv compare camera.png -k sobel_x                 # full against separable",
        "sepconv compare camera.png -k log9 --montage m.png    # full against low-rank, pictured",
        "sepconv compare shots/ -k gaussian:9 --json > plans.jsonl"}},
      {"analyze",
       {"sepconv analyze sobel_x                               # rank 1: two 1D passes",
        "sepconv analyze '[1 2 1; 2 4 2; 1 2 1]'", "sepconv analyze log9 --json"}},
      {"kernels", {"sepconv kernels", "sepconv kernels --json | jq '.[].name'"}},
      {"depthwise",
       {"sepconv depthwise coffee.png -k gaussian3 --pointwise rgb_to_luma -o luma.png",
        "sepconv depthwise coffee.png -k sobel_x,sobel_y,laplacian4 --pointwise identity3 -o "
        "e.png"}},
      {"cost",
       {"sepconv cost --input 12x12x3 --kernel 5 --out-channels 256",
        "sepconv cost --network mobilenet_v1", "sepconv cost --network mobilenet_v1 --json"}},
      {"bench", {"sepconv bench", "sepconv bench --threads 2 --size 1920x1080"}},
  };
  for (CLI::App* command : app.get_subcommands({})) {
    for (const auto& [name, lines] : examples) {
      if (command->get_name() == name) set_examples(*command, lines);
    }
  }
}

std::string closest(const std::string& typed, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;  // at most 2 edits
  for (const std::string& candidate : candidates) {
    const size_t distance = edit_distance(typed, candidate);
    if (distance < best_distance && 2 * distance < candidate.size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string parse_error_line(const CLI::App& app, const CLI::ParseError& error, int argc,
                             const char* const* argv) {
  std::vector<std::string> commands;
  for (const CLI::App* command : app.get_subcommands({})) commands.push_back(command->get_name());
  const CLI::App* command = nullptr;
  for (int i = 1; i < argc && command == nullptr; ++i) {
    const std::string token = argv[i];
    if (token == "--") break;
    if (std::find(commands.begin(), commands.end(), token) != commands.end()) {
      command = app.get_subcommand(token);
    }
  }
  // An unknown --option: the closest one this command (or sepconv itself) knows.
  std::vector<std::string> known = long_options(app);
  if (command != nullptr) {
    const std::vector<std::string> own = long_options(*command);
    known.insert(known.end(), own.begin(), own.end());
  }
  for (int i = 1; i < argc; ++i) {
    const std::string token = argv[i];
    if (token == "--") break;
    if (token.rfind("--", 0) != 0) continue;
    const std::string name = token.substr(0, token.find('='));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    const std::string suggestion = closest(name, known);
    return fmt::format("unknown option {}{} (sepconv {}--help lists the options)", name,
                       suggestion.empty() ? "" : "; did you mean " + suggestion + "?",
                       command != nullptr ? command->get_name() + " " : "");
  }
  // No command: the first word that is neither an option nor a top-level option's value is it.
  for (int i = 1; command == nullptr && i < argc; ++i) {
    const std::string token = argv[i];
    if (token == "--") break;
    if (takes_value(token)) {
      ++i;
      continue;
    }
    if (token.empty() || token[0] == '-') continue;
    const std::string suggestion = closest(token, commands);
    return fmt::format("unknown command '{}'{} (sepconv --help lists the commands)", token,
                       suggestion.empty() ? "" : "; did you mean " + suggestion + "?");
  }
  const std::string command_words = command != nullptr ? command->get_name() + " " : "";
  // A file named like an option ("-dash.png") before `--` was read as options.
  for (int i = 1; i < argc; ++i) {
    const std::string token = argv[i];
    if (token == "--") break;
    std::error_code ec;
    if (token.size() > 1 && token[0] == '-' && std::filesystem::exists(token, ec)) {
      return fmt::format(
          "'{}' was read as options; an input whose name starts with '-' goes after '--': "
          "sepconv {}[OPTIONS] -- {}",
          echo(token), command_words, echo(token));
    }
  }
  std::string message = error.what();
  std::replace(message.begin(), message.end(), '\n', ' ');
  while (!message.empty() && message.back() == ' ') message.pop_back();
  if (message == "inputs is required" || message == "input is required") {
    message = "no input given (an input whose name starts with '-' goes after '--')";
  }
  return fmt::format("{} (sepconv {}--help)", message, command_words);
}

bool quiet_requested(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string token = argv[i];
    if (token == "--") break;
    if (token == "-q" || token == "--quiet") return true;
  }
  return false;
}

void set_quiet(bool quiet) {
  quiet_flag = quiet;
}
bool quiet() {
  return quiet_flag;
}

std::string version_text() {
  std::vector<std::string> compiled;
  for (int64_t targets = HWY_TARGETS; targets != 0; targets &= targets - 1) {
    compiled.push_back(hwy::TargetName(targets & ~(targets - 1)));
  }
  // The best target this CPU supports among those compiled: what HWY_DYNAMIC_DISPATCH in the
  // engine's passes picks (every translation unit is built with the same HWY_TARGETS).
  const std::vector<int64_t> usable = hwy::SupportedAndGeneratedTargets();
  const std::string in_use = usable.empty() ? "none" : hwy::TargetName(usable.front());
  return fmt::format(
      "sepconv {}\n"
      "commit:  {}\n"
      "SIMD:    {} in use; compiled for {}\n"
      "OpenCV:  {}\n"
      "codecs:  {}",
      SEPCONV_VERSION, SEPCONV_GIT_COMMIT, in_use, fmt::join(compiled, ", "), CV_VERSION,
      codec_versions());
}

}  // namespace sepconv::cli
