#pragma once
// Turning a KERNEL argument into a Kernel. Every command that takes a kernel goes through here.

#include <string>
#include <vector>

#include "kernel/kernel.hpp"

namespace sepconv {

/// Parses any KERNEL argument (docs/kernels.md). The syntaxes are tried in this order, the first
/// that recognizes the argument reading it:
///   1. an existing file, whatever its name: a libvips matrix (.mat), an OpenCV FileStorage
///      matrix (.yml, .yaml, .json, .xml, or text starting %YAML, <?xml or {), a numpy-style or
///      inline matrix ("[[1, 2], [3, 4]]"), an ImageMagick array ("3x3: ..."), else sepconv's
///      kernel file format, which also reads CSV and whitespace-separated matrices;
///   2. a bundled name from filters/, in any case ("sobel_x", "Sobel_X");
///   3. a sepconv generator, in lower case ("gaussian:5:1.0", "box:3", "sobel:5:1:0");
///   4. an ImageMagick built-in kernel ("Gaussian:0x2", "Sobel:90", "Laplacian:2", "DoG:0,1,2");
///   5. an ImageMagick array ("3x3: -1,0,1 -2,0,2 -1,0,1", "3+0+0: ...");
///   6. an inline matrix ("[-1 0 1; -2 0 2; -1 0 1]") or a numpy one ("[[-1, 0, 1], ...]").
/// Throws Error naming the argument (cut to 80 characters, control characters escaped) and the
/// reason; an unknown name comes with the closest known names.
Kernel parse_kernel(const std::string& spec);

/// Parses the text of a kernel file in sepconv's format (docs/kernels.md "Kernel files"); `source`
/// names it in errors.
Kernel parse_kernel_text(const std::string& text, const std::string& source);

/// Parses the text of a libvips .mat file: "width height [scale [offset]]", then rows.
Kernel parse_vips_mat(const std::string& text, const std::string& source);

/// Parses an OpenCV FileStorage document (YAML, JSON or XML) holding one matrix, read with
/// cv::FileStorage; the matrix named "kernel" when there are several.
Kernel parse_opencv_storage(const std::string& text, const std::string& source);

/// Names of the bundled kernels, sorted.
std::vector<std::string> bundled_kernel_names();

}  // namespace sepconv
