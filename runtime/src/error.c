/*
 * error.c - libnd's error state: one thread-local (code, message) pair.
 *
 * Key idea: every failure in the library passes through nd__fail, which
 * records the NumPy-named error code and a formatted message and returns -1.
 * A debugger breakpoint on nd__fail therefore catches every error.
 *
 * Invariants: the message is always NUL-terminated and at most
 * sizeof(err_msg) - 1 bytes (longer messages are truncated, never
 * overflowed). Like C's errno, a successful call does not clear the state:
 * nd_errno() is meaningful only right after a call reported failure.
 *
 * Does not: print, abort, or allocate (formatting goes into a fixed
 * per-thread buffer, so reporting ENOMEM cannot itself fail).
 */
#include "nd_int.h"

#include <stdio.h>

static _Thread_local nd_errcode err_code = ND_OK;
static _Thread_local char err_msg[512];

nd_errcode nd_errno(void) { return err_code; }

const char *nd_errmsg(void) { return err_msg; }

int nd__fail(nd_errcode code, const char *fmt, ...)
{
    va_list ap;
    err_code = code;
    va_start(ap, fmt);
    vsnprintf(err_msg, sizeof err_msg, fmt, ap);
    va_end(ap);
    return -1;
}

int nd__null_arg(void) { return nd__fail(ND_ETYPE, "NULL array argument"); }

int nd__norm_axis(int axis, int ndim)
{
    if (axis < -ndim || axis >= ndim)
        return nd__fail(ND_EINDEX, "axis %d is out of bounds for array of dimension %d",
                        axis, ndim);
    return axis < 0 ? axis + ndim : axis;
}

/* NumPy's tuple repr without spaces, as used in its shape messages:
 * "()", "(5,)", "(2,3)". Truncates safely when buf is short. */
const char *nd__shape_str(char *buf, size_t n, int ndim, const ptrdiff_t *shape)
{
    size_t used = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
#define PUT(...)                                                          \
    do {                                                                  \
        int k_ = snprintf(buf + used, n - used, __VA_ARGS__);             \
        if (k_ < 0 || (size_t)k_ >= n - used) return buf;                \
        used += (size_t)k_;                                               \
    } while (0)
    PUT("(");
    for (int i = 0; i < ndim; i++)
        PUT(i ? ",%td" : "%td", shape[i]);
    PUT(ndim == 1 ? ",)" : ")");
#undef PUT
    return buf;
}
