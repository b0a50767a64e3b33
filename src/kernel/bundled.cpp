// The kernels bundled in filters/ ("sobel_x"), found by name in any case, and the suggestions for
// a name that is not known ("gausian3" -> "did you mean gaussian3?").

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "core/filters_dir.hpp"
#include "kernel/parse.hpp"
#include "kernel/syntaxes.hpp"

namespace sepconv {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view s) {
  std::string result(s);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

/// A word that can name a bundled file: nothing that could leave filters/ ("../x").
bool is_plain_word(const std::string& name) {
  return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

/// The bundled name equal to `name` ignoring case, preferring the exact spelling.
std::optional<std::string> bundled_name(const std::string& name) {
  if (!is_plain_word(name)) return std::nullopt;
  std::vector<std::string> names;
  try {
    names = bundled_kernel_names();
  } catch (const Error&) {
    return std::nullopt;  // no filters/ folder: nothing is bundled
  }
  if (std::find(names.begin(), names.end(), name) != names.end()) return name;
  const std::string wanted = lower(name);
  for (const std::string& candidate : names) {
    if (lower(candidate) == wanted) return candidate;
  }
  return std::nullopt;
}

/// Levenshtein distance: the fewest insertions, deletions and substitutions from a to b.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

/// Every name a user might have meant, as it should be written.
std::vector<std::string> known_names() {
  std::vector<std::string> names;
  try {
    names = bundled_kernel_names();
  } catch (const Error&) {
  }
  for (const char* generator : {"gaussian", "box", "binomial", "sobel", "log"}) {
    names.push_back(generator);
  }
  const auto& magick = syntax::magick_kernel_names();
  names.insert(names.end(), magick.begin(), magick.end());
  return names;
}

}  // namespace

std::vector<std::string> bundled_kernel_names() {
  const fs::path dir = filters_dir();
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw Error(dir.string(), fmt::format("cannot list bundled kernels: {}", ec.message()));
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : it) {
    // Subfolders (filters/networks/) hold other things than kernels.
    if (entry.path().extension() != ".txt" || !entry.is_regular_file(ec)) continue;
    names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

namespace syntax {

bool is_bundled_name(const std::string& spec) {
  return bundled_name(spec).has_value();
}

Kernel parse_bundled(const std::string& spec) {
  const auto name = bundled_name(spec);
  if (!name) throw Error(spec, "not a bundled kernel (see `sepconv kernels`)");
  const std::string path = (filters_dir() / (*name + ".txt")).string();
  Kernel kernel = read_kernel_file(path);
  kernel.name = *name;
  return kernel;
}

std::vector<std::string> closest_names(const std::string& spec) {
  // Compare the name part only: "gausian:5" is close to the generator "gaussian".
  const std::string wanted = lower(std::string_view(spec).substr(0, spec.find(':')));
  if (wanted.empty() || wanted.size() > 64) return {};
  const std::size_t allowed = std::clamp<std::size_t>(wanted.size() / 4, 1, 3);
  std::size_t best = allowed + 1;
  std::vector<std::string> closest;
  // The generator "gaussian" and ImageMagick's "Gaussian" differ only in case: suggest the one
  // whose first letter is written like the argument's.
  const bool capital = std::isupper(static_cast<unsigned char>(spec[0])) != 0;
  for (const std::string& name : known_names()) {
    const std::size_t distance = edit_distance(wanted, lower(name));
    if (distance > allowed || distance > best) continue;
    if (distance < best) closest.clear();
    best = distance;
    const auto same = std::find_if(closest.begin(), closest.end(),
                                   [&](const std::string& c) { return lower(c) == lower(name); });
    if (same == closest.end()) {
      closest.push_back(name);
    } else if ((std::isupper(static_cast<unsigned char>(name[0])) != 0) == capital) {
      *same = name;
    }
  }
  if (closest.size() > 3) closest.resize(3);
  return closest;
}

}  // namespace syntax

}  // namespace sepconv
