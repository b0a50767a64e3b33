#pragma once
// Runs a piece of work in a child process, so that a third-party parser that crashes or loops on a
// hostile document costs sepconv an error message, not the process. OpenCV's FileStorage readers
// are the reason: fuzzing found a null-pointer read and an endless loop in them (kernel files).

#include <chrono>
#include <functional>
#include <string>

namespace sepconv {

/// What became of work run by run_isolated.
struct IsolatedOutcome {
  enum class Status {
    finished,   ///< the work returned; `bytes` is what it returned
    crashed,    ///< the child died (a signal, or it exited without an answer)
    timed_out,  ///< the child was still running at the time limit and was killed
  };
  Status status;
  std::string bytes;
};

/// Forks, runs `work` in the child and hands its returned bytes back through a pipe. The child is
/// killed once `limit` has passed. `work` must not throw (catch and encode errors in the bytes).
/// The child ends with _exit, so it flushes no stdio buffers and runs no destructors.
IsolatedOutcome run_isolated(const std::function<std::string()>& work,
                             std::chrono::milliseconds limit);

}  // namespace sepconv
