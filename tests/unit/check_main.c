/*
 * check_main.c - the one main() of every unit-test executable.
 *
 * Each tests/unit/{runtime,analyzer}/test_<name>.c defines
 * `Suite *test_suite(void);` and no main; the build links it with this file
 * into its own program, registered with ctest. Keeping main here means a
 * test file holds only tests, and every suite is run and reported the same
 * way: CK_NORMAL output (Check's "N%: Checks: ..., Failures: ..., Errors:
 * ..." line, plus one line per failure) and a non-zero exit on any failure
 * or error, which is what ctest reads. A suite that runs no test at all also
 * fails: an empty suite is a mistake, not a pass.
 *
 * It does not choose the fork mode: CK_FORK from the environment is honored
 * by Check itself (the default forks each test, so a crash fails one test).
 */
#include <check.h>
#include <stdlib.h>

Suite *test_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(test_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    int ran = srunner_ntests_run(sr);
    srunner_free(sr);
    return failed == 0 && ran > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
