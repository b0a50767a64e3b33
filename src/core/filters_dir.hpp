#pragma once
// Where the data bundled with sepconv lives: kernels (filters/*.txt), networks (filters/networks/)
// and pointwise matrices (filters/pointwise/). In core/ because several modules look things up
// there and none of them should have to include another's parser to find it.

#include <filesystem>

namespace sepconv {

/// The folder holding the bundled data: $SEPCONV_FILTERS if set, else share/sepconv/filters beside
/// the running program's bin/ folder, else the filters/ link CMake puts in a build tree, else the
/// folder `cmake --install` writes them to. No source path is compiled in.
std::filesystem::path filters_dir();

}  // namespace sepconv
