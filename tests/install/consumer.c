/*
 * consumer.c - a program outside the project that uses an installed libnd.
 *
 * check-install.sh builds it twice, once with pkg-config and once through
 * find_package(nd), and runs it. It exercises the point of the library: a
 * basic index gives a view (a write through it reaches the parent), an
 * advanced one a copy (it does not). Exit 0 only if both hold.
 */
#include <nd.h>
#include <stdio.h>

int main(void)
{
    int rc = 1;
    nd_array *a = nd_arange(ND_FLOAT64, 10);
    nd_array *view = nd_get(a, "2:5");
    nd_array *copy = nd_get(a, "[2, 3, 4]");
    if (!a || !view || !copy) {
        fprintf(stderr, "consumer: %s\n", nd_errmsg());
        goto out;
    }
    if (nd_fill(view, -1.0) != 0 || nd_fill(copy, -2.0) != 0) {
        fprintf(stderr, "consumer: %s\n", nd_errmsg());
        goto out;
    }
    const ptrdiff_t i3 = 3;
    double through_view = nd_item(a, &i3);
    int shares = nd_shares_memory(a, view) == 1 && nd_shares_memory(a, copy) == 0;
    printf("consumer: a[3] = %g after view write, shares(view,copy) ok = %d\n",
           through_view, shares);
    rc = through_view == -1.0 && shares ? 0 : 1;
out:
    nd_free(copy);
    nd_free(view);
    nd_free(a);
    return rc;
}
