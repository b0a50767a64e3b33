# Installs sepconv::core for other C++ programs: the static library, its headers under
# include/sepconv/ (the same relative paths as in src/, so "kernel/parse.hpp" works installed too),
# a CMake package (find_package(sepconv) gives sepconv::core) and a pkg-config file.
include(CMakePackageConfigHelpers)

install(TARGETS sepconv_core EXPORT sepconvTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sepconv)
install(DIRECTORY src/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sepconv
        FILES_MATCHING PATTERN "*.hpp" PATTERN "cli" EXCLUDE PATTERN "batch" EXCLUDE)
install(FILES ${PROJECT_BINARY_DIR}/generated/core/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sepconv/core)

set(SEPCONV_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sepconv)
install(EXPORT sepconvTargets NAMESPACE sepconv:: DESTINATION ${SEPCONV_CMAKE_DIR})
configure_package_config_file(cmake/sepconvConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/sepconvConfig.cmake
                              INSTALL_DESTINATION ${SEPCONV_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sepconvConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sepconvConfig.cmake ${PROJECT_BINARY_DIR}/sepconvConfigVersion.cmake
        DESTINATION ${SEPCONV_CMAKE_DIR})

configure_file(cmake/sepconv.pc.in ${PROJECT_BINARY_DIR}/sepconv.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sepconv.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
