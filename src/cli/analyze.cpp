// `sepconv analyze KERNEL`: the SVD of a kernel, its rank, its separable factors and what the
// separated passes save.

#include <fmt/format.h>

#include <memory>

#include "analysis/analysis.hpp"
#include "cli/commands.hpp"
#include "cli/report.hpp"
#include "kernel/parse.hpp"

namespace sepconv::cli {
namespace {

struct AnalyzeOptions {
  std::string kernel;
  std::optional<double> tolerance;
  bool json = false;
};

nlohmann::json analysis_json(const Kernel& kernel, const Analysis& analysis) {
  nlohmann::json factors = nullptr;
  if (analysis.factors) {
    factors = {{"column", analysis.factors->column},
               {"row", analysis.factors->row},
               {"scale", analysis.factors->scale}};
  }
  return {{"kernel", kernel_json(kernel, analysis)},
          {"tolerance", analysis.tolerance},
          {"relative_tolerance", analysis.relative_tolerance},
          {"factors", factors},
          {"reconstruction_error", analysis.reconstruction_error},
          {"ops",
           {{"full_per_pixel", ops_json(analysis.full_per_pixel)},
            {"separable_per_pixel", ops_json(analysis.separable_per_pixel)}}}};
}

std::string singular_values_text(const Analysis& analysis) {
  std::string text;
  for (double s : analysis.singular_values) text += fmt::format("  {:.6g}", s);
  return text;
}

/// column x row = kernel, drawn as matrices, with the scale in front when there is one.
std::string factorization_text(const Kernel& kernel, const SeparableTerm& factors) {
  std::vector<std::vector<std::string>> blocks;
  std::vector<std::string> operators;
  if (factors.scale != 1.0) {
    blocks.push_back({format_scale(factors.scale)});
    operators.push_back("x");
  }
  blocks.push_back(matrix_lines(cv::Mat1d(factors.column, true)));
  blocks.push_back(matrix_lines(cv::Mat1d(factors.row, true).t()));
  blocks.push_back(matrix_lines(kernel.values));
  operators.push_back("x");
  operators.push_back("=");
  return side_by_side(blocks, operators);
}

std::string ops_text(const Analysis& analysis) {
  const OpCount& full = analysis.full_per_pixel;
  std::string text = fmt::format("operations per output pixel:\n  full       {:>6} mul  {:>6} add\n",
                                 full.mul, full.add);
  if (!analysis.separable_per_pixel) {
    return text + "  separable  not applicable (rank is not 1)\n";
  }
  const OpCount& sep = *analysis.separable_per_pixel;
  const double saving = 100.0 * (1.0 - static_cast<double>(sep.mul) / full.mul);
  return text + fmt::format("  separable  {:>6} mul  {:>6} add   ({:.0f}% {} multiplications)\n",
                            sep.mul, sep.add, std::abs(saving), saving >= 0 ? "fewer" : "more");
}

void print_text(const Kernel& kernel, const Analysis& analysis) {
  fmt::print("kernel {}: {}x{} (rows x cols), anchor ({}, {})\n", kernel.name, kernel.rows(),
             kernel.cols(), kernel.anchor.x, kernel.anchor.y);
  if (!kernel.description.empty()) fmt::print("  {}\n", kernel.description);
  for (const std::string& line : matrix_lines(kernel.values)) fmt::print("  {}\n", line);
  fmt::print("\nsingular values:{}\n", singular_values_text(analysis));
  fmt::print("tolerance: {:.3g} (relative {:.3g} of the largest)\n", analysis.tolerance,
             analysis.relative_tolerance);
  fmt::print("rank {}: {}\n\n", analysis.rank,
             analysis.separable ? "separable" : "not separable");
  if (analysis.factors) {
    fmt::print("column (vertical) x row (horizontal) = kernel\n{}",
               factorization_text(kernel, *analysis.factors));
    fmt::print("reconstruction error (max abs): {:.3g}\n\n", analysis.reconstruction_error);
  }
  fmt::print("{}", ops_text(analysis));
}

}  // namespace

void add_analyze_command(CLI::App& app, int& status) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* command = app.add_subcommand(
      "analyze", "Show a kernel's singular values, rank, separable factors and operation counts");
  command->add_option("kernel", options->kernel, "KERNEL: a bundled name, file, matrix or generator")
      ->required();
  command->add_option("--tol", options->tolerance,
                      "Relative rank tolerance: singular values above T * the largest count "
                      "(default max(rows, cols) * machine epsilon, as MATLAB's rank)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--json", options->json, "Print one JSON object instead of text");
  command->callback([options, &status] {
    const Kernel kernel = parse_kernel(options->kernel);
    const Analysis analysis = analyze_kernel(kernel, options->tolerance);
    if (options->json) {
      fmt::print("{}\n", analysis_json(kernel, analysis).dump());
    } else {
      print_text(kernel, analysis);
    }
    status = 0;
  });
}

}  // namespace sepconv::cli
