// One -k/--kernel for every command that takes a kernel: the same names, value name and help.

#include <gtest/gtest.h>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "support/batch_support.hpp"

namespace sepconv::testing {
namespace {

TEST(KernelOption, EveryKernelCommandSharesOneDefinition) {
  CLI::App app;
  int status = 0;
  cli::add_apply_command(app, status);
  cli::add_analyze_command(app, status);
  cli::add_compare_command(app, status);
  cli::add_depthwise_command(app, status);
  for (const char* name : {"apply", "analyze", "compare", "depthwise"}) {
    const CLI::Option* kernel = app.get_subcommand(name)->get_option("--kernel");
    EXPECT_EQ(kernel->get_name(false, true).substr(0, 2), "-k") << name;
    EXPECT_EQ(kernel->get_type_name(), "KERNEL") << name;
    EXPECT_EQ(kernel->get_description().rfind(cli::kKernelHelp, 0), 0u) << name;
    EXPECT_TRUE(kernel->get_required()) << name;
  }
}

TEST(KernelOption, AnalyzeTakesTheKernelWithOrWithoutK) {
  const CliRun positional = run_sepconv("analyze sobel_x --json");
  ASSERT_EQ(positional.status, 0) << positional.err;
  for (const char* flag : {"-k", "--kernel"}) {
    const CliRun named = run_sepconv(std::string("analyze ") + flag + " sobel_x --json");
    EXPECT_EQ(named.status, 0) << named.err;
    EXPECT_EQ(named.out, positional.out) << flag;
  }
}

}  // namespace
}  // namespace sepconv::testing
