#include "core/isolated.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sepconv {

namespace {

using Clock = std::chrono::steady_clock;

void write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void run_child(const std::function<std::string()>& work, int fd) {
  write_all(fd, work());
  ::_exit(0);
}

/// Reads the child's answer until end of file; false when the deadline passed first.
bool read_until_eof(int fd, Clock::time_point deadline, std::string& bytes) {
  char chunk[65536];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd ready{fd, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return polled == 0 ? false : true;
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    bytes.append(chunk, static_cast<std::size_t>(n));
  }
}

}  // namespace

IsolatedOutcome run_isolated(const std::function<std::string()>& work,
                             std::chrono::milliseconds limit) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::strerror(errno));
  const pid_t child = ::fork();
  if (child < 0) {
    const int saved = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::strerror(saved));
  }
  if (child == 0) {
    ::close(fds[0]);
    run_child(work, fds[1]);
  }
  ::close(fds[1]);
  IsolatedOutcome outcome{IsolatedOutcome::Status::finished, {}};
  const bool answered = read_until_eof(fds[0], Clock::now() + limit, outcome.bytes);
  ::close(fds[0]);
  if (!answered) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!answered) {
    outcome.status = IsolatedOutcome::Status::timed_out;
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || outcome.bytes.empty()) {
    outcome.status = IsolatedOutcome::Status::crashed;
  }
  return outcome;
}

}  // namespace sepconv
