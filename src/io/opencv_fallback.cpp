// Loads the OpenCV imgcodecs plugin (plugins/opencv_imgcodecs) the first time a format the native
// codecs do not handle is met, so a run on PNG, JPEG, TIFF, WebP, PGM/PPM or PFM never loads
// imgcodecs, GDAL and the ~140 libraries behind them. The plugin is looked for in
// $SEPCONV_PLUGIN_DIR, beside the executable, one folder up (the tests' build tree), in
// ../LIBDIR/sepconv beside it and in the installed LIBDIR/sepconv.

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "core/error.hpp"
#include "io/codecs.hpp"
#include "io/fallback_abi.hpp"
#include "io/image_io.hpp"

#ifndef SEPCONV_PLUGIN_INSTALL_DIR
#define SEPCONV_PLUGIN_INSTALL_DIR "/usr/local/lib/sepconv"
#endif
#ifndef SEPCONV_PLUGIN_RELATIVE_DIR
#define SEPCONV_PLUGIN_RELATIVE_DIR "lib/sepconv"
#endif

namespace sepconv::codec {
namespace {
namespace fs = std::filesystem;

constexpr const char* kPluginName = "libsepconv_opencv_imgcodecs.so";

struct Plugin {
  decltype(&sepconv_fallback_decode) decode = nullptr;
  decltype(&sepconv_fallback_encode) encode = nullptr;
  decltype(&sepconv_fallback_can_write) can_write = nullptr;
  std::string problem;  ///< why it is not available; empty when loaded
};

std::vector<fs::path> plugin_folders() {
  std::vector<fs::path> folders;
  if (const char* folder = std::getenv("SEPCONV_PLUGIN_DIR")) folders.emplace_back(folder);
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path here = executable.parent_path();
    folders.push_back(here);
    folders.push_back(here.parent_path());
    folders.push_back(here.parent_path() / SEPCONV_PLUGIN_RELATIVE_DIR);
  }
  folders.emplace_back(SEPCONV_PLUGIN_INSTALL_DIR);
  return folders;
}

/// OpenCV reads its size limits from the environment once, when imgcodecs loads: set them to
/// sepconv's, counting the widest pixel OpenCV decodes (4 channels of 4 bytes) against
/// --max-bytes, since sepconv does not read these formats' headers itself.
void pass_limits_to_opencv() {
  const std::uint64_t pixels = std::min(max_pixels(), max_bytes() / 16);
  const std::string text = std::to_string(std::max<std::uint64_t>(pixels, 1));
  setenv("OPENCV_IO_MAX_IMAGE_PIXELS", text.c_str(), 1);
}

Plugin load_plugin() {
  Plugin plugin;
  pass_limits_to_opencv();
  std::string reasons;
  for (const fs::path& folder : plugin_folders()) {
    const fs::path file = folder / kPluginName;
    std::error_code error;
    if (!fs::exists(file, error)) continue;
    void* library = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      reasons = dlerror();
      continue;
    }
    const auto abi =
        reinterpret_cast<decltype(&sepconv_fallback_abi)>(dlsym(library, "sepconv_fallback_abi"));
    if (abi == nullptr || abi() != SEPCONV_FALLBACK_ABI) {
      reasons = fmt::format("{} is from another sepconv version", file.string());
      dlclose(library);
      continue;
    }
    plugin.decode =
        reinterpret_cast<decltype(plugin.decode)>(dlsym(library, "sepconv_fallback_decode"));
    plugin.encode =
        reinterpret_cast<decltype(plugin.encode)>(dlsym(library, "sepconv_fallback_encode"));
    plugin.can_write =
        reinterpret_cast<decltype(plugin.can_write)>(dlsym(library, "sepconv_fallback_can_write"));
    if (plugin.decode && plugin.encode && plugin.can_write) return plugin;
    reasons = fmt::format("{} lacks its functions", file.string());
  }
  plugin.problem = fmt::format("OpenCV's imgcodecs plugin ({}) cannot be loaded: {}", kPluginName,
                               reasons.empty() ? "not found" : reasons);
  return plugin;
}

const Plugin& plugin() {
  static const Plugin loaded = load_plugin();
  return loaded;
}

}  // namespace

cv::Mat decode_with_fallback(const Encoded& in) {
  const Plugin& fallback = plugin();
  if (!fallback.problem.empty()) {
    throw Error(in.name,
                "is not a PNG, JPEG, TIFF, WebP, PGM/PPM or PFM file, and " + fallback.problem);
  }
  cv::Mat image;
  std::string error;
  if (!fallback.decode(in.data, in.size, &image, &error)) {
    if (error.find("CV_IO_MAX_IMAGE") != std::string::npos) {
      error = fmt::format(
          "is larger than the limit for formats sepconv decodes through OpenCV "
          "({} pixels: --max-pixels, and --max-bytes / 16)",
          std::min(max_pixels(), max_bytes() / 16));
    }
    throw Error(in.name, error);
  }
  return image;
}

Bytes encode_with_fallback(const std::string& ext, const cv::Mat& image) {
  const Plugin& fallback = plugin();
  if (!fallback.problem.empty()) throw Error("", "cannot be encoded: " + fallback.problem);
  Bytes bytes;
  std::string error;
  if (!fallback.encode(ext.c_str(), &image, &bytes, &error)) {
    throw Error("", "cannot be encoded: " + error);
  }
  return bytes;
}

bool fallback_can_write(const std::string& ext) {
  const Plugin& fallback = plugin();
  return fallback.problem.empty() && fallback.can_write(ext.c_str());
}

}  // namespace sepconv::codec
