#include "cli/commands.hpp"

namespace sepconv::cli {

void add_apply_command(CLI::App& app, int& status) {
  (void)app;
  (void)status;
}

}  // namespace sepconv::cli
