# SPDX-License-Identifier: ISC
# shaper: only verbs that leave the host as it is (they run in the root
# namespace as root): help, version, refused values, check on lo (its kind
# probe runs in a private namespace), status and remove with nothing applied
# (a state directory of their own).
set(_sd --state-dir ${CMAKE_CURRENT_BINARY_DIR}/shaper-state)
mignet_valgrind_test(shaper.help       0 shaper --help)
mignet_valgrind_test(shaper.version    0 shaper --version)
mignet_valgrind_test(shaper.apply_help 0 shaper apply --help)
mignet_valgrind_test(shaper.bad_rate   2 shaper apply --dest 198.18.1.2 --rate 0mbit ${_sd})
mignet_valgrind_test(shaper.bad_unit   2 shaper apply --dest 198.18.1.2 --rate 10 ${_sd})
mignet_valgrind_test(shaper.bad_dest   2 shaper apply --dest [2001:2::1 --rate 10mbit ${_sd})
mignet_valgrind_test(shaper.bad_window 2 shaper apply --dest 198.18.1.2 --rate 10mbit --window 09:00-12:00=1mbit --window 11:00-13:00=1mbit ${_sd})
mignet_valgrind_test(shaper.bad_dev    2 shaper apply --dest 198.18.1.2 --rate 10mbit --dev nosuchdev0 ${_sd})
mignet_valgrind_test(shaper.check_lo   0 shaper check --dev lo ${_sd})
mignet_valgrind_test(shaper.check_json 0 shaper check --dev lo --dest 127.0.0.1 --json ${_sd})
mignet_valgrind_test(shaper.status     0 shaper status --interval 0.1s ${_sd})
mignet_valgrind_test(shaper.status_json 0 shaper status --json ${_sd})
mignet_valgrind_test(shaper.remove_none 0 shaper remove --all ${_sd})
mignet_valgrind_test(shaper.run_once   0 shaper run --once ${_sd})
