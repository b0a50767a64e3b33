#include "core/filters_dir.hpp"

#include <array>
#include <cstdlib>
#include <system_error>

namespace sepconv {

namespace fs = std::filesystem;

fs::path filters_dir() {
  if (const char* env = std::getenv("SEPCONV_FILTERS"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    // Installed anywhere (a relocated prefix too): PREFIX/bin/sepconv beside PREFIX/share. In a
    // build tree CMake links build/filters to the source's filters/, found from the binary
    // (build/sepconv) and from programs one folder down (build/tests, build-fuzz/fuzz).
    const fs::path dir = exe.parent_path();
    const std::array<fs::path, 3> candidates = {dir / ".." / "share" / "sepconv" / "filters",
                                                dir / "filters", dir / ".." / "filters"};
    for (const fs::path& candidate : candidates) {
      if (fs::is_directory(candidate, ec)) return candidate.lexically_normal();
    }
  }
  // Other programs linking the installed library find the data where `cmake --install` put it.
  return SEPCONV_INSTALLED_FILTERS_DIR;
}

}  // namespace sepconv
