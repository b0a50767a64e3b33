# The man page sepconv(1), generated at build time by help2man from `sepconv --help` and
# `sepconv --version` (plus each command's --help, see cmake/manpage_commands.sh), so it never
# disagrees with the binary; installed with the bash and zsh completions by `cmake --install`.
find_program(SEPCONV_HELP2MAN help2man)
if(SEPCONV_HELP2MAN)
  set(SEPCONV_MANPAGE ${PROJECT_BINARY_DIR}/sepconv.1)
  set(SEPCONV_MAN_COMMANDS ${PROJECT_BINARY_DIR}/sepconv-commands.h2m)
  add_custom_command(
    OUTPUT ${SEPCONV_MANPAGE}
    COMMAND sh ${PROJECT_SOURCE_DIR}/cmake/manpage_commands.sh $<TARGET_FILE:sepconv>
            ${SEPCONV_MAN_COMMANDS}
    COMMAND ${SEPCONV_HELP2MAN} --no-info --no-discard-stderr
            --name "image convolution that finds and uses separable kernels"
            --include ${SEPCONV_MAN_COMMANDS} --output ${SEPCONV_MANPAGE} $<TARGET_FILE:sepconv>
    DEPENDS sepconv ${PROJECT_SOURCE_DIR}/cmake/manpage_commands.sh
    COMMENT "Generating the man page sepconv(1) with help2man"
    VERBATIM)
  add_custom_target(sepconv_manpage ALL DEPENDS ${SEPCONV_MANPAGE})
  install(FILES ${SEPCONV_MANPAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (Debian package help2man)")
endif()

install(FILES ${PROJECT_SOURCE_DIR}/completions/sepconv.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME sepconv)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_sepconv
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
