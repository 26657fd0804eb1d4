/* A tiny TAP producer for the C unit tests: one header, no library.
 *
 *   UNIT_OK(cond, "name %d", i);
 *   UNIT_IS_INT(got, want, "name");
 *   UNIT_IS_STR(got, want, "name");      (either may be NULL)
 *   return UNIT_DONE();                  (prints the plan; 1 if any failed)
 *
 * Names take printf arguments. Failures print got/want and the source line
 * as TAP diagnostics ("# ..."), which prove and plain terminals both show.
 */
#ifndef DEVPLAT_UNIT_H
#define DEVPLAT_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
#define UNIT_UNUSED __attribute__((unused))
#define UNIT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define UNIT_UNUSED
#define UNIT_PRINTF(f, a)
#endif

static int unit_run_count;
static int unit_fail_count;

static UNIT_UNUSED
void unit_vreport(int ok, const char *file, int line, const char *fmt,
                  va_list ap)
{
    unit_run_count++;
    printf("%s %d - ", ok ? "ok" : "not ok", unit_run_count);
    vprintf(fmt, ap);
    printf("\n");
    if (!ok) {
        unit_fail_count++;
        printf("#   Failed test at %s line %d.\n", file, line);
    }
    fflush(stdout);
}

static UNIT_UNUSED UNIT_PRINTF(4, 5)
int unit_ok(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    unit_vreport(ok, file, line, fmt, ap);
    va_end(ap);
    return ok;
}

static UNIT_UNUSED UNIT_PRINTF(5, 6)
int unit_is_int(long long got, long long want, const char *file, int line,
                const char *fmt, ...)
{
    va_list ap;
    int ok = got == want;

    va_start(ap, fmt);
    unit_vreport(ok, file, line, fmt, ap);
    va_end(ap);
    if (!ok) {
        printf("#          got: %lld\n#     expected: %lld\n", got, want);
    }
    return ok;
}

static UNIT_UNUSED UNIT_PRINTF(5, 6)
int unit_is_str(const char *got, const char *want, const char *file, int line,
                const char *fmt, ...)
{
    va_list ap;
    int ok = (got == NULL || want == NULL) ? got == want
                                           : strcmp(got, want) == 0;

    va_start(ap, fmt);
    unit_vreport(ok, file, line, fmt, ap);
    va_end(ap);
    if (!ok) {
        printf("#          got: %s%s%s\n", got ? "'" : "", got ? got : "NULL",
               got ? "'" : "");
        printf("#     expected: %s%s%s\n", want ? "'" : "",
               want ? want : "NULL", want ? "'" : "");
    }
    return ok;
}

static UNIT_UNUSED
int unit_done(void)
{
    printf("1..%d\n", unit_run_count);
    if (unit_fail_count) {
        printf("# Looks like you failed %d test%s of %d.\n", unit_fail_count,
               unit_fail_count == 1 ? "" : "s", unit_run_count);
    }
    fflush(stdout);
    return unit_fail_count != 0 || unit_run_count == 0;
}

#define UNIT_OK(cond, ...) \
    unit_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define UNIT_IS_INT(got, want, ...) \
    unit_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, \
                __VA_ARGS__)
#define UNIT_IS_STR(got, want, ...) \
    unit_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define UNIT_DONE() unit_done()

#endif
