// Turning a KERNEL argument into a Kernel: a table of the syntaxes, each a (recognizer, parser)
// pair from syntaxes.hpp, tried in order. The first recognizer that says yes picks the parser, so
// its error is the one the user sees; an argument no syntax recognizes is an unknown kernel, with
// the closest known names suggested.

#include "kernel/parse.hpp"

#include <fmt/format.h>

#include <string_view>

#include "core/echo.hpp"
#include "core/error.hpp"
#include "core/file_problem.hpp"
#include "kernel/generators.hpp"
#include "kernel/syntaxes.hpp"

namespace sepconv {

namespace {

/// A sepconv generator in its own lower-case syntax ("gaussian:5:1.5"). ImageMagick's
/// "Gaussian:0x1.5" or "gaussian:0,1.5" goes to the ImageMagick syntax instead.
bool is_sepconv_generator(const std::string& spec) {
  return is_generator_spec(spec) && spec.find_first_of("xX,", spec.find(':')) == std::string::npos;
}

struct Syntax {
  bool (*recognizes)(const std::string& spec);
  Kernel (*parse)(const std::string& spec);
};

/// The syntaxes in the order they are tried (docs/kernels.md, parse.hpp).
constexpr Syntax kSyntaxes[] = {
    {syntax::is_existing_file, syntax::read_kernel_file},
    {syntax::is_bundled_name, syntax::parse_bundled},
    {is_sepconv_generator, generate_kernel},
    {syntax::is_magick_named, syntax::parse_magick_named},
    {syntax::is_magick_array, syntax::parse_magick_array},
    {syntax::is_inline_matrix, syntax::parse_inline_matrix},
    // Last: reading the missing file gives the precise reason (no such file, unreadable...).
    {syntax::looks_like_path, syntax::read_kernel_file},
};

std::string unknown_kernel_reason(const std::string& spec) {
  std::string reason =
      "unknown kernel: not a file, a bundled name (see `sepconv kernels`), a generator, an "
      "ImageMagick kernel or a matrix";
  const std::vector<std::string> closest = syntax::closest_names(spec);
  if (closest.empty()) return reason;
  std::string names;
  for (std::size_t i = 0; i < closest.size(); ++i) {
    if (i > 0) names += i + 1 == closest.size() ? " or " : ", ";
    names += closest[i];
  }
  return fmt::format("{}; did you mean {}?", reason, names);
}

Kernel parse_any_kernel(const std::string& spec) {
  for (const Syntax& syntax : kSyntaxes) {
    if (syntax.recognizes(spec)) return syntax.parse(spec);
  }
  // A name that is there but cannot be opened (a loop of symbolic links, a link to nothing) is
  // no unknown kernel: say what is wrong with it.
  if (const std::string problem = input_file_problem(spec);
      problem == "is a loop of symbolic links" ||
      problem == "is a symbolic link to a missing file") {
    throw Error(spec, problem);
  }
  throw Error(spec, unknown_kernel_reason(spec));
}

}  // namespace

Kernel parse_kernel(const std::string& spec) {
  try {
    return parse_any_kernel(spec);
  } catch (const Error& e) {
    // The parsers name the argument as given; a message shows at most the start of it, escaped.
    if (e.subject() != spec) throw;
    throw Error(echo(spec), e.reason(), e.code());
  }
}

}  // namespace sepconv
