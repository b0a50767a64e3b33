#pragma once
// The KERNEL syntaxes, one (recognizer, parser) pair each, for parse.cpp's table. Internal to
// src/kernel/: other modules call parse_kernel() (parse.hpp).
//
// A recognizer answers "is this argument written in my syntax?" from its shape alone, cheaply and
// without throwing; the parser then reads it and throws Error naming the argument. Once a
// recognizer says yes, its parser's error is the one the user sees, so recognizers are strict
// enough that a typo in one syntax is not reported by another.

#include <string>
#include <vector>

#include "kernel/kernel.hpp"

namespace sepconv::syntax {

// files.cpp: any existing file, whatever its name, and its format chosen by extension and content.
bool is_existing_file(const std::string& spec);
/// An argument that reads as a path though nothing is there: '/' or a kernel file extension.
bool looks_like_path(const std::string& spec);
Kernel read_kernel_file(const std::string& path);

// bundled.cpp: a name from filters/ ("sobel_x", any case).
bool is_bundled_name(const std::string& spec);
Kernel parse_bundled(const std::string& spec);
/// Bundled names, generators and ImageMagick names close to `spec`, for "did you mean ...?".
std::vector<std::string> closest_names(const std::string& spec);

// magick_array.cpp: "WxH[+X+Y]: values" and "N[+X+Y]: values".
bool is_magick_array(const std::string& spec);
Kernel parse_magick_array(const std::string& spec);

// magick_named.cpp: ImageMagick's built-in kernels ("Gaussian:0x2", "Sobel:90", "Laplacian:2").
bool is_magick_named(const std::string& spec);
Kernel parse_magick_named(const std::string& spec);
/// The names parse_magick_named knows, as ImageMagick spells them.
const std::vector<std::string>& magick_kernel_names();

// inline_matrix.cpp: "[-1 0 1; -2 0 2; -1 0 1]" and numpy's "[[1, 2, 1], [2, 4, 2], [1, 2, 1]]".
bool is_inline_matrix(const std::string& spec);
Kernel parse_inline_matrix(const std::string& spec);

}  // namespace sepconv::syntax
