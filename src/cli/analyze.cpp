// `sepconv analyze KERNEL`: the SVD of a kernel, its rank, its separable factors and what the
// separated passes save.

#include <fmt/format.h>

#include <memory>

#include "analysis/analysis.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/report.hpp"
#include "core/echo.hpp"
#include "kernel/parse.hpp"

namespace sepconv::cli {
namespace {

struct AnalyzeOptions {
  std::string kernel;
  std::optional<double> tolerance;
  bool json = false;
};

nlohmann::json term_json(const SeparableTerm& term) {
  return {{"column", term.column}, {"row", term.row}, {"scale", term.scale}};
}

nlohmann::json rank_table_json(const Analysis& analysis) {
  nlohmann::json table = nlohmann::json::array();
  for (const RankApproximation& row : analysis.rank_table) {
    table.push_back({{"rank", row.rank},
                     {"relative_error", row.relative_error},
                     {"ops_per_pixel", ops_json(row.ops_per_pixel)}});
  }
  return table;
}

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
          {"integer_form", analysis.integer_form
                               ? nlohmann::json{{"scale", analysis.integer_form->scale}}
                               : nlohmann::json(nullptr)},
          {"lowrank",
           {{"terms",
             [&] {
               nlohmann::json terms = nlohmann::json::array();
               for (const SeparableTerm& term : analysis.terms) terms.push_back(term_json(term));
               return terms;
             }()},
            {"whole", !analysis.terms.empty() && analysis.terms.front().whole},
            {"ops_per_pixel",
             ops_json(lowrank_ops_per_pixel(analysis.rank, kernel.rows(), kernel.cols()))},
            {"table", rank_table_json(analysis)}}},
          {"ops",
           {{"full_per_pixel", ops_json(analysis.full_per_pixel)},
            {"separable_per_pixel", ops_json(analysis.separable_per_pixel)}}}};
}

std::string singular_values_text(const Analysis& analysis) {
  std::string text;
  for (double s : analysis.singular_values) text += fmt::format("  {:.6g}", s);
  if (analysis.unlisted_singular_values > 0) {
    text += fmt::format("  (and {} more, each at most {:.3g})", analysis.unlisted_singular_values,
                        analysis.unlisted_bound);
  }
  return text;
}

/// Matrices are drawn up to this many rows and columns: a 1025x1025 kernel would be 26 MB of text
/// and a second of formatting; --json gives its factors.
constexpr int kMaxDrawnSide = 64;

bool drawn(const Kernel& kernel) {
  return kernel.rows() <= kMaxDrawnSide && kernel.cols() <= kMaxDrawnSide;
}

std::string not_drawn_line(const Kernel& kernel) {
  return fmt::format("  ({}x{} coefficients: matrices above {} a side are not drawn)\n",
                     kernel.rows(), kernel.cols(), kMaxDrawnSide);
}

/// The kernel's coefficients, as "1/16 x [whole numbers]" when it has an integer form.
void add_kernel_blocks(const Kernel& kernel, const Analysis& analysis,
                       std::vector<std::vector<std::string>>& blocks,
                       std::vector<std::string>& operators) {
  if (analysis.integer_form && analysis.integer_form->scale != 1.0) {
    blocks.push_back({format_scale(analysis.integer_form->scale)});
    operators.push_back("x");
    blocks.push_back(matrix_lines(analysis.integer_form->integers));
    return;
  }
  blocks.push_back(
      matrix_lines(analysis.integer_form ? analysis.integer_form->integers : kernel.values));
}

/// column x row (+ column x row ...) = kernel, drawn as matrices. Terms that share the kernel's
/// integer scale show it once, on the kernel's side.
std::string terms_text(const Kernel& kernel, const Analysis& analysis,
                       const std::vector<SeparableTerm>& terms) {
  std::vector<std::vector<std::string>> blocks;
  std::vector<std::string> operators;
  const double shared_scale = analysis.integer_form ? analysis.integer_form->scale : 1.0;
  for (size_t t = 0; t < terms.size(); ++t) {
    if (t > 0) operators.push_back("+");
    if (terms[t].scale != 1.0 && terms[t].scale != shared_scale) {
      blocks.push_back({format_scale(terms[t].scale)});
      operators.push_back("x");
    }
    blocks.push_back(matrix_lines(cv::Mat1d(terms[t].column, true)));
    operators.push_back("x");
    blocks.push_back(matrix_lines(cv::Mat1d(terms[t].row, true).t()));
  }
  operators.push_back("=");
  add_kernel_blocks(kernel, analysis, blocks, operators);
  return side_by_side(blocks, operators);
}

/// r, relative error and cost of keeping the r strongest SVD terms, for r = 1 .. rank.
std::string rank_table_text(const Analysis& analysis) {
  std::string text =
      "low-rank approximations (SVD terms kept, Frobenius error):\n"
      "  rank  relative error   mul/pixel  add/pixel\n";
  for (const RankApproximation& row : analysis.rank_table) {
    text += fmt::format("  {:>4}  {:>14.3g}  {:>10}  {:>9}\n", row.rank, row.relative_error,
                        row.ops_per_pixel.mul, row.ops_per_pixel.add);
  }
  return text;
}

/// One plan's cost beside full's: "separable 6 mul 4 add (33% fewer multiplications)".
std::string cost_line(const std::string& name, const OpCount& full, const OpCount& plan) {
  const double saving = 100.0 * (1.0 - static_cast<double>(plan.mul) / full.mul);
  return fmt::format("  {:<10} {:>6} mul  {:>6} add   ({:.0f}% {} multiplications)\n", name,
                     plan.mul, plan.add, std::abs(saving), saving >= 0 ? "fewer" : "more");
}

std::string ops_text(const Kernel& kernel, const Analysis& analysis) {
  const OpCount& full = analysis.full_per_pixel;
  std::string text = fmt::format(
      "operations per output pixel:\n  full       {:>6} mul  {:>6} add\n", full.mul, full.add);
  if (!analysis.separable_per_pixel) {
    text += "  separable  not applicable (rank is not 1)\n";
    if (analysis.rank < 2) return text;
    return text + cost_line(fmt::format("lowrank:{}", analysis.rank), full,
                            lowrank_ops_per_pixel(analysis.rank, kernel.rows(), kernel.cols()));
  }
  return text + cost_line("separable", full, *analysis.separable_per_pixel);
}

void print_text(const Kernel& kernel, const Analysis& analysis) {
  // The name is the argument as typed: a 29 KB matrix or a file name with escape sequences is
  // shown cut and escaped.
  fmt::print("kernel {}: {}x{} (rows x cols), anchor ({}, {})\n", echo(kernel.name), kernel.rows(),
             kernel.cols(), kernel.anchor.x, kernel.anchor.y);
  if (!kernel.description.empty()) fmt::print("  {}\n", kernel.description);
  if (drawn(kernel)) {
    std::vector<std::vector<std::string>> blocks;
    std::vector<std::string> operators;
    add_kernel_blocks(kernel, analysis, blocks, operators);
    fmt::print("{}", side_by_side(blocks, operators));
  } else {
    fmt::print("{}", not_drawn_line(kernel));
  }
  fmt::print("\nsingular values:{}\n", singular_values_text(analysis));
  fmt::print("tolerance: {:.3g} (relative {:.3g} of the largest)\n", analysis.tolerance,
             analysis.relative_tolerance);
  fmt::print("rank {}: {}\n\n", analysis.rank, analysis.separable ? "separable" : "not separable");
  if (analysis.factors) {
    fmt::print(
        "column (vertical) x row (horizontal) = kernel\n{}",
        drawn(kernel) ? terms_text(kernel, analysis, {*analysis.factors}) : not_drawn_line(kernel));
    fmt::print("reconstruction error (max abs): {:.3g}\n\n", analysis.reconstruction_error);
  } else if (analysis.rank >= 2 && analysis.rank <= 4 && drawn(kernel)) {
    fmt::print("as a sum of {} separable terms{}:\n{}\n", analysis.rank,
               analysis.terms.front().whole ? " (whole numbers: exact on integer images)" : "",
               terms_text(kernel, analysis, analysis.terms));
  }
  if (analysis.rank >= 2) fmt::print("{}\n", rank_table_text(analysis));
  fmt::print("{}", ops_text(kernel, analysis));
}

}  // namespace

void add_analyze_command(CLI::App& app, int& status) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* command = app.add_subcommand(
      "analyze", "Show a kernel's singular values, rank, separable factors and operation counts");
  add_kernel_option(*command, options->kernel, true);
  command
      ->add_option("--tol", options->tolerance,
                   "Relative rank tolerance: singular values above T * the largest count "
                   "(default max(rows, cols) * machine epsilon, as MATLAB's rank)")
      ->check(finite_number(0, HUGE_VAL, true));
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
