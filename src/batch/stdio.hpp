#pragma once
// Images on standard input and output, for the input "-" and the output "-o -".

#include <opencv2/core.hpp>
#include <string>

#include "io/metadata.hpp"

namespace sepconv::batch {

/// Reads an input: read_image for a path, read_image_from standard input for "-"; its EXIF, ICC
/// and XMP into `metadata` when given.
cv::Mat read_input(const std::string& input, Metadata* metadata = nullptr);

/// The name an output's format is checked by before anything is computed: the output itself, or
/// "stdout.FORMAT" for "-o -".
std::string checked_output_name(const std::string& output, const std::string& format);

/// Writes an output: write_image_atomically for a path; for "-", encode_image in `format` to
/// standard output. A closed standard output (EPIPE) stops the batch (see runner.hpp). `metadata`
/// goes in where the format holds it.
void write_output(const std::string& output, const cv::Mat& image, const std::string& format,
                  const Metadata& metadata = Metadata{});

}  // namespace sepconv::batch
