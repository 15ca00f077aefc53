# SPDX-License-Identifier: ISC
# Every library dependency (README, Dependencies), found with pkg-config (libiperf by header
# and library). All missing ones are reported together with the Debian packages
# that provide them, so one apt-get line fixes the configure.

find_program(MIGNET_PKG_CONFIG pkg-config)
if(NOT MIGNET_PKG_CONFIG)
	message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()
find_package(PkgConfig REQUIRED)

set(MIGNET_MISSING_PKGS "")
set(MIGNET_MISSING_MODS "")

# mignet_dep(<prefix> <pkg-config module> <Debian package>)
# Defines the imported target PkgConfig::<prefix>.
macro(mignet_dep prefix module debpkg)
	pkg_check_modules(${prefix} QUIET IMPORTED_TARGET GLOBAL ${module})
	if(NOT ${prefix}_FOUND)
		list(APPEND MIGNET_MISSING_MODS ${module})
		list(APPEND MIGNET_MISSING_PKGS ${debpkg})
	endif()
endmacro()

mignet_dep(EVENT     libevent          libevent-dev)
mignet_dep(EVENT_SSL libevent_openssl  libevent-dev)
mignet_dep(OPENSSL   openssl           libssl-dev)
mignet_dep(NLROUTE   libnl-route-3.0   libnl-route-3-dev)
mignet_dep(CGROUP    libcgroup         libcgroup-dev)
mignet_dep(PCAP      libpcap           libpcap-dev)
mignet_dep(JSONC     json-c            libjson-c-dev)
mignet_dep(INIH      inih              libinih-dev)

find_path(IPERF_INCLUDE_DIR iperf_api.h)
find_library(IPERF_LIBRARY iperf)
if(IPERF_INCLUDE_DIR AND IPERF_LIBRARY)
	add_library(mignet_iperf INTERFACE IMPORTED GLOBAL)
	target_include_directories(mignet_iperf INTERFACE ${IPERF_INCLUDE_DIR})
	target_link_libraries(mignet_iperf INTERFACE ${IPERF_LIBRARY})
else()
	list(APPEND MIGNET_MISSING_MODS "libiperf (iperf_api.h)")
	list(APPEND MIGNET_MISSING_PKGS libiperf-dev)
endif()

if(MIGNET_TESTS)
	mignet_dep(CMOCKA    cmocka             libcmocka-dev)
	mignet_dep(NFQUEUE   libnetfilter_queue libnetfilter-queue-dev)
endif()

if(MIGNET_MISSING_PKGS)
	list(REMOVE_DUPLICATES MIGNET_MISSING_PKGS)
	list(JOIN MIGNET_MISSING_PKGS " " _pkgs)
	list(JOIN MIGNET_MISSING_MODS ", " _mods)
	message(FATAL_ERROR "mignet cannot be configured, missing: ${_mods}.\n"
		"Run:  apt-get install ${_pkgs}\n"
		"(or scripts/install-deps, which installs everything the build and tests need)")
endif()
