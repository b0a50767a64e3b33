// `sepconv kernels`: the bundled kernels, with their size, rank and whether they separate.

#include <fmt/format.h>

#include <memory>

#include "analysis/analysis.hpp"
#include "cli/commands.hpp"
#include "cli/report.hpp"
#include "kernel/parse.hpp"

namespace sepconv::cli {

void add_kernels_command(CLI::App& app, int& status) {
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("kernels", "List the bundled kernels in filters/");
  command->add_flag("--json", *json, "Print a JSON array instead of a table");
  command->callback([json, &status] {
    nlohmann::json list = nlohmann::json::array();
    if (!*json)
      fmt::print("{:<12} {:>7} {:>4}  {:<13} {}\n", "name", "size", "rank", "separable",
                 "description");
    for (const std::string& name : bundled_kernel_names()) {
      const Kernel kernel = parse_kernel(name);
      const Analysis analysis = analyze_kernel(kernel);
      const std::string size = fmt::format("{}x{}", kernel.rows(), kernel.cols());
      if (*json) {
        list.push_back({{"name", name},
                        {"rows", kernel.rows()},
                        {"cols", kernel.cols()},
                        {"rank", analysis.rank},
                        {"separable", analysis.separable},
                        {"description", kernel.description}});
      } else {
        fmt::print("{:<12} {:>7} {:>4}  {:<13} {}\n", name, size, analysis.rank,
                   analysis.separable ? "yes" : "no", kernel.description);
      }
    }
    if (*json) fmt::print("{}\n", list.dump());
    status = 0;
  });
}

}  // namespace sepconv::cli
