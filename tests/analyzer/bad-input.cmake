# bad-input.cmake - viewcheck's exit status on broken input, and the shape
# of its JSON report. Run as:
#   cmake -DVIEWCHECK=<exe> -DSRC=<source dir> -DWORK=<scratch dir> -P bad-input.cmake
#
# Exit status contract (analyzer/src/main.c): 0 clean, 1 findings, 2 bad
# usage or input, 3 a file could not be (fully) analyzed. Every case runs
# viewcheck as a separate process and checks the status and one line of
# its stderr, so a crash (signal) can never pass for an expected code.
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(inc -I${SRC}/runtime/include)

file(WRITE ${WORK}/ok.c "#include <nd.h>\nint f(nd_array *a) { return nd_ndim(a); }\n")
file(WRITE ${WORK}/syntax.c "int f(void) { int x = ; return x }\nint g(void) { return 1; }\n")
file(WRITE ${WORK}/nohdr.c "#include \"does_not_exist.h\"\nint f(void) { return 0; }\n")

set(failures 0)
function(expect name code stderr_re)
  execute_process(COMMAND ${VIEWCHECK} ${ARGN}
                  WORKING_DIRECTORY ${WORK}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc STREQUAL "${code}")
    message(SEND_ERROR "${name}: exit ${rc}, expected ${code}\nstdout: ${out}\nstderr: ${err}")
  elseif(NOT err MATCHES "${stderr_re}")
    message(SEND_ERROR "${name}: stderr does not match '${stderr_re}':\n${err}")
  else()
    message(STATUS "${name}: exit ${rc} ok")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
endfunction()

expect(clean        0 "0 findings" ok.c -- ${inc})
expect(bad-flag     2 "unknown option '--no-such-flag'" --no-such-flag ok.c)
expect(bad-format   2 "unknown format" --format xml ok.c)
expect(bad-rule     2 "unknown rule 'VC999'" --rules=-*,VC999 ok.c)
expect(missing-file 2 "no such file: missing.c" missing.c ok.c)
expect(no-input     2 "no input files")
expect(malformed    3 "syntax.c:1:[0-9]+: error" syntax.c ok.c -- ${inc})
expect(missing-hdr  3 "does_not_exist.h' file not found" nohdr.c ok.c -- ${inc})

# JSON: the documented shape, also when a file fails (errors[] filled)
expect(json 3 "" --format json syntax.c ok.c -- ${inc})
string(JSON v GET "${last_out}" version)
string(JSON tool GET "${last_out}" tool name)
string(JSON nd LENGTH "${last_out}" diagnostics)
string(JSON ne LENGTH "${last_out}" errors)
string(JSON ef GET "${last_out}" errors 0 file)
if(NOT v EQUAL 1 OR NOT tool STREQUAL "viewcheck" OR ne LESS 1 OR NOT ef STREQUAL "syntax.c")
  message(SEND_ERROR "json shape: version=${v} tool=${tool} diagnostics=${nd} errors=${ne} file=${ef}")
endif()

# SARIF: version, one run, the rules table, executionSuccessful false
expect(sarif 3 "" --format sarif syntax.c ok.c -- ${inc})
string(JSON sv GET "${last_out}" version)
string(JSON nr LENGTH "${last_out}" runs 0 tool driver rules)
string(JSON ok GET "${last_out}" runs 0 invocations 0 executionSuccessful)
if(NOT sv STREQUAL "2.1.0" OR nr LESS 1 OR ok)
  message(SEND_ERROR "sarif shape: version=${sv} rules=${nr} executionSuccessful=${ok}")
endif()

# -o FILE: the report appears whole or not at all; a file that cannot be
# written is exit 2 and leaves neither the file nor a temporary behind.
expect(output-ok 0 "" -o report.json --format json ok.c -- ${inc})
file(READ ${WORK}/report.json report)
string(JSON rv GET "${report}" version)
if(NOT rv EQUAL 1)
  message(SEND_ERROR "-o report.json: not the JSON report:\n${report}")
endif()
expect(output-bad 2 "cannot write" -o no_such_dir/report.json ok.c -- ${inc})
file(GLOB leftovers ${WORK}/*.viewcheck-tmp ${WORK}/no_such_dir)
if(leftovers)
  message(SEND_ERROR "-o left files behind: ${leftovers}")
endif()

# Determinism: the same report for -j1 and -j2, whatever the completion order
# (the fixtures are many small files, so workers really interleave).
if(EXISTS ${SRC}/fixtures/analyzer)
  foreach(j 1 2)
    execute_process(COMMAND ${VIEWCHECK} -j${j} --format json ${SRC}/fixtures/analyzer -- ${inc}
                    WORKING_DIRECTORY ${SRC} RESULT_VARIABLE rc_${j}
                    OUTPUT_VARIABLE out_${j} ERROR_VARIABLE err_${j})
  endforeach()
  if(NOT rc_1 STREQUAL rc_2 OR NOT out_1 STREQUAL out_2)
    message(SEND_ERROR "-j1 and -j2 differ (exit ${rc_1} vs ${rc_2})")
  elseif(NOT rc_1 MATCHES "^[01]$")
    message(SEND_ERROR "fixtures: exit ${rc_1}\n${err_1}")
  else()
    message(STATUS "deterministic: -j1 == -j2 (exit ${rc_1}) ok")
  endif()
endif()
