#pragma once
// Border policies: what the image holds outside its edges. Each mode gives the same pixels as the
// OpenCV border of the same name; `valid` pads nothing and shrinks the output instead.

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/border.hpp"

namespace sepconv {

/// Parses "reflect101", "reflect", "replicate", "constant[:VALUE]", "wrap" or "valid"; throws a
/// usage Error naming `argument` otherwise.
Border parse_border(const std::string& text, const std::string& argument = "--border");

/// The name parse_border accepts, with the constant's value: "constant:0".
std::string border_name(const Border& border);

/// OpenCV's border type for a padding border (not valid).
int to_cv_border(BorderKind kind);

/// The output size of filtering `input` with a kernel of `kernel` size: the same size, or for
/// `valid` (W - kw + 1) x (H - kh + 1). Throws Error when a valid output would be empty.
cv::Size output_size(cv::Size input, cv::Size kernel, const Border& border);

/// For each coordinate p in [-before, length + after), the in-image coordinate the border maps it
/// to, or -1 where a constant border supplies the value. Entry i is for p = i - before.
std::vector<int> border_index_table(int length, int before, int after, BorderKind kind);

}  // namespace sepconv
