#pragma once
// Why a path named on the command line cannot be read as an input file, said as the system would
// mean it: "no such file" only when there is none, not for a loop of symbolic links or a device.

#include <string>

namespace sepconv {

/// "" when `path` is a regular file or a FIFO (after symbolic links); otherwise the reason in
/// words: "no such file", "is a loop of symbolic links", "is a symbolic link to a missing file",
/// "permission denied", "is a directory", "is a device, not a file", "is a socket, not a file".
std::string input_file_problem(const std::string& path);

}  // namespace sepconv
