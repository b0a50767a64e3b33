#pragma once
// The metadata blocks read from and written to a libpng, libjpeg or libtiff handle, shared by the
// whole-image codecs (png_codec.cpp, jpeg_codec.cpp, tiff_codec.cpp) and the row readers and
// writers (png_rows.cpp, jpeg_rows.cpp, tiff_rows.cpp), so both paths carry the same blocks.
// Internal to io/.

#include <png.h>
#include <tiffio.h>

#include <cstdio>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

#include "io/metadata.hpp"

namespace sepconv::codec {

/// The iCCP, eXIf and XML:com.adobe.xmp iTXt chunks libpng kept (call after png_read_info, and
/// again after png_read_end(png, info) for chunks after the image data).
void read_png_metadata(png_structp png, png_infop info, Metadata& metadata);
/// Sets the chunks for png_write_info to write; the ICC profile only when icc_fits(channels).
/// Call png_set_benign_errors(png, 1) first, so a profile libpng dislikes is left out, not fatal.
void write_png_metadata(png_structp png, png_infop info, const Metadata& metadata, int channels);

/// Asks libjpeg to keep the APP1 (EXIF, XMP) and APP2 (ICC) markers: before jpeg_read_header.
void save_jpeg_metadata_markers(j_decompress_ptr info);
/// EXIF, XMP and the ICC profile from the markers kept: after jpeg_read_header.
void read_jpeg_metadata(j_decompress_ptr info, Metadata& metadata);
/// Writes the markers: after jpeg_start_compress, before the first row. `channels` is what is
/// encoded (1 or 3), for the ICC profile's colour space.
void write_jpeg_metadata(j_compress_ptr info, const Metadata& metadata, int channels);

/// The ICC profile, XMP packet, Orientation and EXIF text tags (Artist...) of the first directory.
void read_tiff_metadata(TIFF* tiff, Metadata& metadata);
/// Sets them on the directory being written, before its first row.
void write_tiff_metadata(TIFF* tiff, const Metadata& metadata, int channels);

/// The ICC profile, XMP packet, Orientation and EXIF text tags (Artist...) of the first directory.
void read_tiff_metadata(TIFF* tiff, Metadata& metadata);
/// Sets them on the directory being written, before its first row.
void write_tiff_metadata(TIFF* tiff, const Metadata& metadata, int channels);

}  // namespace sepconv::codec
