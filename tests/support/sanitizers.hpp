#pragma once
// Whether the tests (and so the binary they run) were built with AddressSanitizer, which reserves
// terabytes of address space at start: a `ulimit -v` bound cannot hold such a process, and its
// leak checker cannot run under strace.

namespace sepconv::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

/// `ulimit -v KB;` for a shell prefix, or nothing under AddressSanitizer (the behaviour is still
/// checked there; the memory bound is checked by the plain build).
inline const char* address_space_limit(const char* ulimit_command) {
  return kAddressSanitizer ? "" : ulimit_command;
}

}  // namespace sepconv::testing
