# SPDX-License-Identifier: ISC
# libshaper: destination and window parsing, burst/quantum arithmetic, u32
# keys, the state record.  The kernel-facing parts are tested on the test
# hosts (tests/integration/shaper_*.sh).
mignet_unit_test(shaper_dest   test_shaper_dest.c   shaper_lib)
mignet_unit_test(shaper_window test_shaper_window.c shaper_lib)
mignet_unit_test(shaper_htb    test_shaper_htb.c    shaper_lib)
mignet_unit_test(shaper_state  test_shaper_state.c  shaper_lib)
