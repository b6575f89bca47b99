# Runs vitest once in WEB with NODE; fails when web/node_modules is missing.
if(NOT EXISTS ${WEB}/node_modules/vitest/vitest.mjs)
  message(FATAL_ERROR "${WEB}/node_modules has no vitest: run `make web-deps` (make test does)")
endif()
execute_process(COMMAND ${NODE} node_modules/vitest/vitest.mjs run
                WORKING_DIRECTORY ${WEB} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "vitest failed (${status})")
endif()
