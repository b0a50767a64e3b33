#pragma once
// The one error type sepconv throws. It carries what failed and where, so the CLI edge can print
// one line and pick the documented exit status without knowing which module threw.

#include <stdexcept>
#include <string>

namespace sepconv {

/// Exit statuses documented in README: 0 success, 1 an input or the kernel failed, 2 usage error.
enum class ExitCode { ok = 0, failure = 1, usage = 2 };

/// An error about one named thing (a file, an argument, a kernel spec): "<subject>: <reason>".
class Error : public std::runtime_error {
 public:
  Error(std::string subject, std::string reason, ExitCode code = ExitCode::failure)
      : std::runtime_error(subject.empty() ? reason : subject + ": " + reason),
        subject_(std::move(subject)),
        reason_(std::move(reason)),
        code_(code) {}

  const std::string& subject() const { return subject_; }
  const std::string& reason() const { return reason_; }
  ExitCode code() const { return code_; }

 private:
  std::string subject_;
  std::string reason_;
  ExitCode code_;
};

/// A bad command-line argument: exit status 2.
inline Error usage_error(std::string argument, std::string reason) {
  return Error(std::move(argument), std::move(reason), ExitCode::usage);
}

}  // namespace sepconv
