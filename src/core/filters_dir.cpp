#include "core/filters_dir.hpp"

#include <cstdlib>
#include <system_error>

namespace sepconv {

namespace fs = std::filesystem;

fs::path filters_dir() {
  if (const char* env = std::getenv("SEPCONV_FILTERS"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = (exe.parent_path() / ".." / "share" / "sepconv" / "filters");
    if (fs::is_directory(installed, ec)) return installed.lexically_normal();
  }
  // Only this file is compiled with the source path (CMakeLists.txt), so every other object is
  // the same in any checkout and ccache shares it.
  return fs::path(SEPCONV_SOURCE_DIR) / "filters";
}

}  // namespace sepconv
