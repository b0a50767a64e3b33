#pragma once
// Turning a KERNEL argument into a Kernel. Every command that takes a kernel goes through here.

#include <filesystem>
#include <string>
#include <vector>

#include "kernel/kernel.hpp"

namespace sepconv {

/// Parses any KERNEL argument, trying in order: an existing file (the spec contains '/' or ends in
/// .txt or .mat; a libvips .mat when it ends in .mat, else sepconv's own format); a bundled name
/// from filters/ ("sobel_x"); a generator ("gaussian:5:1.0", "box:3", "binomial:5", "sobel:5:1:0",
/// "log:9:1.4"); an ImageMagick string ("3x3: -1,0,1 ..." or "3: ..."); an inline matrix
/// ("[-1 0 1; -2 0 2; -1 0 1]"). Throws Error naming the argument and the reason.
Kernel parse_kernel(const std::string& spec);

/// Parses the text of a kernel file in sepconv's format (README "Kernel files"); `source` names it
/// in errors.
Kernel parse_kernel_text(const std::string& text, const std::string& source);

/// Parses the text of a libvips .mat file: "width height [scale [offset]]", then rows.
Kernel parse_vips_mat(const std::string& text, const std::string& source);

/// The folder holding the bundled kernels: $SEPCONV_FILTERS if set, else share/sepconv/filters next
/// to the installed binary, else the source tree's filters/.
std::filesystem::path filters_dir();

/// Names of the bundled kernels, sorted.
std::vector<std::string> bundled_kernel_names();

}  // namespace sepconv
