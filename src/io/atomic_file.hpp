#pragma once
// Writing files so that a failure never leaves a partial file behind: the new content goes to a
// temporary beside the target and is renamed into place only once complete.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sepconv {

/// Whether replace_atomically flushes the new file and its folder to disk (fsync) before reporting
/// success, so a power cut leaves the old file or the complete new one. On by default; --no-sync
/// turns it off for scratch outputs.
void set_sync_writes(bool sync);
bool sync_writes();

/// Replaces `path` with what `write_temporary` writes into the temporary file it is given (an
/// empty file with a short random hidden name beside `path`, ".sepconv-XXXXXXXXXXXX.ext"),
/// renaming it into place only when the writer returns an empty reason, after fsync unless
/// sync_writes() is off. On failure the temporary is removed and Error(path, "cannot be written:
/// REASON") thrown, so `path` is either complete or untouched; an exception from the writer
/// removes the temporary too and passes on unchanged.
void replace_atomically(const std::string& path,
                        const std::function<std::string(const std::string&)>& write_temporary);

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so `path` is either
/// the complete new content or untouched. Throws Error naming the file on any failure.
void write_bytes_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

/// Whether two paths name the same existing file (after links and "..").
bool same_file(const std::string& a, const std::string& b);

}  // namespace sepconv
