# libmigcommon's unit tests, one file per module.
foreach(t units errors config json log proc clock)
	mignet_unit_test(${t} ${CMAKE_CURRENT_SOURCE_DIR}/test_${t}.c migcommon)
endforeach()
