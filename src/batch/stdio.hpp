#pragma once
// Images on standard input and output, for the input "-" and the output "-o -".

#include <opencv2/core.hpp>
#include <string>

namespace sepconv::batch {

/// Reads an input: read_image for a path, read_image_from standard input for "-".
cv::Mat read_input(const std::string& input);

/// Writes an output: write_image_atomically for a path; for "-", encode_image in `format` to
/// standard output. A closed standard output (EPIPE) stops the batch (see runner.hpp).
void write_output(const std::string& output, const cv::Mat& image, const std::string& format);

}  // namespace sepconv::batch
