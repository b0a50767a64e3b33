# Sourced by sanitize.sh and fuzz.sh: how the sanitizers report. A distinct exit status (86), so a
# report is never mistaken for sepconv's own statuses 1 and 2; leaks are checked.
export ASAN_OPTIONS="detect_leaks=1:exitcode=86:strict_string_checks=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86"
export LSAN_OPTIONS="exitcode=86"
