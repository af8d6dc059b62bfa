/*
 * npy.c - NumPy .npy files: nd_load_npy and nd_save_npy.
 *
 * The format (numpy/lib/format.py, versions 1.0, 2.0 and 3.0):
 *
 *     "\x93NUMPY" major minor   8 bytes
 *     header_len                uint16 LE (1.0) or uint32 LE (2.0, 3.0)
 *     header                    a Python dict literal (npy_header.c), space
 *                               padded and '\n' ended; latin-1 text in 1.0
 *                               and 2.0, UTF-8 in 3.0
 *     data                      the elements, C or Fortran order
 *
 * This file owns the preamble, the versions, and moving the data.
 *
 * The key idea of loading: the file is untrusted input. The header length is
 * bounded (1 MiB) and checked against the file size before it is read; the
 * header is parsed by a fixed grammar (npy_header.c); the byte count the
 * header promises is computed with overflow checks and compared with what
 * the file holds BEFORE anything is allocated for the data. Any violation
 * is ND_EIO with a message naming the file, never a crash, a read past the
 * end or a huge allocation. After reading, elements are fixed up in place:
 * foreign byte order is swapped and bool bytes are normalized to 0/1 (a C
 * bool holding 2 would be undefined). Fortran-ordered data is transposed
 * into a C-ordered owner, so every loaded array owns C-contiguous data.
 * Bytes after the data are ignored, as np.load ignores them.
 *
 * The key idea of saving: produce exactly what np.save produces - version
 * 1.0 (2.0 when the header length needs 32 bits, 3.0 when a field name is
 * not latin-1), the header padded so the data starts at a multiple of 64
 * bytes, little-endian data in C order (non-contiguous arrays are gathered
 * element by element), record padding written as zeros. The file is
 * written under a temporary name in the same directory and renamed over
 * `path` only when every byte is written, so a failed save leaves no
 * partial file and leaves an existing file untouched.
 *
 * Not here: memory mapping, object/string/complex arrays, reading from
 * pipes (a load needs a regular file, to know its size).
 */
#include "nd_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "\x93NUMPY"
#define MAGIC_LEN 6
#define ALIGN 64                 /* numpy.lib.format.ARRAY_ALIGN */
#define MAX_HEADER (1u << 20)    /* larger headers are refused unread */
#define IO_CHUNK 65536

static bool host_is_little(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* ---- loading -------------------------------------------------------------- */

static uint32_t le_u32(const unsigned char *b, int n)
{
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

/* Fortran-ordered src (column-major, same shape) into C-ordered dst. */
static void fortran_to_c(char *dst, const char *src, const nd__npy_header *h, size_t w)
{
    ptrdiff_t fstride[ND_MAXDIMS], idx[ND_MAXDIMS] = {0}, n = 1;
    for (int k = 0; k < h->ndim; k++) {
        fstride[k] = (ptrdiff_t)w * n;
        n *= h->shape[k];
    }
    const char *p = src;
    for (ptrdiff_t i = 0; i < n; i++, dst += w) {
        memcpy(dst, p, w);
        for (int k = h->ndim - 1; k >= 0; k--) {
            p += fstride[k];
            if (++idx[k] < h->shape[k])
                break;
            p -= fstride[k] * h->shape[k];
            idx[k] = 0;
        }
    }
}

static void apply_fixups(char *data, ptrdiff_t n, size_t w, const nd__npy_header *h)
{
    for (ptrdiff_t i = 0; i < n; i++, data += w)
        for (int f = 0; f < h->n_fixups; f++) {
            unsigned char *q = (unsigned char *)data + h->fixups[f].offset;
            size_t s = h->fixups[f].size;
            if (h->fixups[f].is_bool) {
                *q = *q != 0;
                continue;
            }
            for (size_t a = 0, b = s - 1; a < b; a++, b--) {
                unsigned char t = q[a];
                q[a] = q[b];
                q[b] = t;
            }
        }
}

static bool read_exact(FILE *f, void *buf, size_t n)
{
    return fread(buf, 1, n, f) == n;
}

/* The element count and byte size the header promises. False when they,
 * or the strides of any array of this shape (which skip zero-length axes),
 * would not fit in ptrdiff_t - NumPy's "array is too big". */
static bool data_size(const nd__npy_header *h, ptrdiff_t *n, size_t *nbytes)
{
    ptrdiff_t count = 1, span = (ptrdiff_t)h->dt->itemsize;
    for (int k = 0; k < h->ndim; k++) {
        ptrdiff_t d = h->shape[k];
        if (__builtin_mul_overflow(count, d, &count) ||
            __builtin_mul_overflow(span, d > 0 ? d : 1, &span))
            return false;
    }
    *n = count;
    *nbytes = (size_t)count * h->dt->itemsize;   /* <= span, so it fits */
    return true;
}

/* Reads the preamble and header of an open file positioned at 0; on
 * success the file is positioned at the data and *remaining holds the bytes
 * after the header. */
static int read_header(FILE *f, const char *path, off_t file_size,
                       nd__npy_header *h, off_t *remaining)
{
    unsigned char pre[12];
    char *text = NULL;
    int rc = -1;

    if (!read_exact(f, pre, 8) || memcmp(pre, MAGIC, MAGIC_LEN) != 0) {
        nd__fail(ND_EIO, "%s: not a .npy file (bad magic)", path);
        goto out;
    }
    int major = pre[6], minor = pre[7];
    if (major < 1 || major > 3 || minor != 0) {
        nd__fail(ND_EIO, "%s: unsupported .npy format version %d.%d", path, major, minor);
        goto out;
    }
    int lenbytes = major == 1 ? 2 : 4;
    if (!read_exact(f, pre + 8, (size_t)lenbytes)) {
        nd__fail(ND_EIO, "%s: truncated .npy preamble", path);
        goto out;
    }
    uint32_t hlen = le_u32(pre + 8, lenbytes);
    off_t start = 8 + lenbytes;
    if (hlen > MAX_HEADER || (off_t)hlen > file_size - start) {
        nd__fail(ND_EIO, "%s: header length %lu exceeds the file or the %u-byte limit",
                 path, (unsigned long)hlen, MAX_HEADER);
        goto out;
    }
    if ((text = malloc(hlen + 1)) == NULL) {
        nd__fail(ND_ENOMEM, "%s: out of memory reading the header", path);
        goto out;
    }
    if (!read_exact(f, text, hlen)) {
        nd__fail(ND_EIO, "%s: truncated .npy header", path);
        goto out;
    }
    if (nd__npy_parse_header(path, text, hlen, major, h) != 0)
        goto out;
    *remaining = file_size - start - (off_t)hlen;
    rc = 0;
out:
    free(text);
    return rc;
}

nd_array *nd_load_npy(const char *path)
{
    FILE *f = NULL;
    nd__npy_header h = {0};
    nd_array *a = NULL;
    char *tmp = NULL;
    struct stat st;
    off_t remaining;
    ptrdiff_t n;
    size_t nbytes;

    if (path == NULL) {
        nd__fail(ND_EVALUE, "nd_load_npy: path is NULL");
        return NULL;
    }
    if ((f = fopen(path, "rb")) == NULL) {
        nd__fail(ND_EIO, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        nd__fail(ND_EIO, "%s: not a regular file", path);
        goto out;
    }
    if (read_header(f, path, st.st_size, &h, &remaining) != 0)
        goto out;
    /* Check the promise against the file before allocating anything. */
    if (!data_size(&h, &n, &nbytes)) {
        nd__fail(ND_EIO, "%s: the shape in the header is too large", path);
        goto out;
    }
    if ((off_t)nbytes > remaining) {
        nd__fail(ND_EIO, "%s: data is %lld bytes, the header promises %zu",
                 path, (long long)remaining, nbytes);
        goto out;
    }
    if ((a = nd__alloc(h.dt, h.ndim, h.shape, false)) == NULL)
        goto out;
    bool transpose = h.fortran && h.ndim > 1 && n > 1;
    if (transpose && (tmp = malloc(nbytes)) == NULL) {
        nd__fail(ND_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    if (!read_exact(f, transpose ? tmp : a->data, nbytes)) {
        nd__fail(ND_EIO, "%s: read error in the data", path);
        goto fail;
    }
    if (transpose)
        fortran_to_c(a->data, tmp, &h, h.dt->itemsize);
    apply_fixups(a->data, n, h.dt->itemsize, &h);
    goto out;
fail:
    nd_free(a);
    a = NULL;
out:
    free(tmp);
    nd__npy_header_free(&h);
    if (f != NULL)
        fclose(f);
    return a;
}

/* ---- saving: preamble and header --------------------------------------- */

/* UTF-8 text into latin-1 (at most as long), as NumPy encodes 1.0 and 2.0
 * headers; false when a character is beyond U+00FF, which needs 3.0. */
static bool to_latin1(const char *in, size_t n, char *out, size_t *n_out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x80) {
            out[o++] = (char)c;
            continue;
        }
        if ((c != 0xc2 && c != 0xc3) || i + 1 >= n ||
            ((unsigned char)in[i + 1] & 0xc0) != 0x80)
            return false;
        out[o++] = (char)(((c & 0x03) << 6) | ((unsigned char)in[++i] & 0x3f));
    }
    *n_out = o;
    return true;
}

/* Preamble + header exactly as np.save writes them: a malloc'd block in
 * *out of *n bytes. The version is the oldest that can hold the header. */
static int build_header(const nd_array *a, char **out, size_t *n)
{
    char *dict = nd__npy_format_header(a), *lat = NULL, *b = NULL;
    int rc = -1;
    if (dict == NULL)
        return -1;
    size_t len = strlen(dict), lat_len = 0;
    if ((lat = malloc(len + 1)) == NULL) {
        nd__fail(ND_ENOMEM, "nd_save_npy: out of memory");
        goto out;
    }
    bool latin = to_latin1(dict, len, lat, &lat_len);
    const char *text = latin ? lat : dict;
    size_t tlen = latin ? lat_len : len;
    size_t hlen = tlen + 1;                       /* with the final '\n' */
    int major = latin ? 1 : 3;
    size_t prefix = MAGIC_LEN + 2 + 2;
    size_t pad = ALIGN - (prefix + hlen) % ALIGN; /* 1..64, as NumPy */
    if (latin && hlen + pad > UINT16_MAX)
        major = 2;
    if (major != 1) {
        prefix = MAGIC_LEN + 2 + 4;
        pad = ALIGN - (prefix + hlen) % ALIGN;
    }
    if (hlen + pad > UINT32_MAX) {
        nd__fail(ND_EVALUE, "nd_save_npy: header too long");
        goto out;
    }
    uint32_t total = (uint32_t)(hlen + pad);
    if ((b = malloc(prefix + total)) == NULL) {
        nd__fail(ND_ENOMEM, "nd_save_npy: out of memory");
        goto out;
    }
    memcpy(b, MAGIC, MAGIC_LEN);
    b[6] = (char)major;
    b[7] = 0;
    for (size_t i = 8; i < prefix; i++)
        b[i] = (char)(total >> (8 * (i - 8)));
    memcpy(b + prefix, text, tlen);
    memset(b + prefix + tlen, ' ', pad);
    b[prefix + total - 1] = '\n';
    *out = b;
    *n = prefix + total;
    rc = 0;
out:
    free(lat);
    free(dict);
    return rc;
}

/* ---- saving: the data --------------------------------------------------- */

static void reverse_bytes(char *p, size_t n)
{
    for (size_t a = 0, b = n - 1; a < b && n > 1; a++, b--) {
        char t = p[a];
        p[a] = p[b];
        p[b] = t;
    }
}

/* One element as it goes to the file: little-endian, record padding zeroed
 * (a multi-field view's gaps hold other fields, which are not part of it). */
static void encode_element(char *dst, const char *src, const nd_dtype *dt, bool swap)
{
    if (dt->kind != ND_DK_RECORD) {
        memcpy(dst, src, dt->itemsize);
        if (swap)
            reverse_bytes(dst, dt->itemsize);
        return;
    }
    memset(dst, 0, dt->itemsize);
    for (int i = 0; i < dt->n_fields; i++) {
        const nd__field *f = &dt->fields[i];
        memcpy(dst + f->offset, src + f->offset, f->type->itemsize);
        if (swap)
            reverse_bytes(dst + f->offset, f->type->itemsize);
    }
}

/* Writes a's elements in C order, through a chunk buffer. */
static bool write_data(FILE *f, const nd_array *a)
{
    ptrdiff_t n, idx[ND_MAXDIMS] = {0};
    size_t w = a->dt->itemsize, per = IO_CHUNK / w ? IO_CHUNK / w : 1, used = 0;
    bool swap = !host_is_little(), ok = true;
    if (nd__shape_size(a->ndim, a->shape, &n) != 0)
        return false;
    char *buf = malloc(per * w);
    if (buf == NULL)
        return false;
    const char *p = a->data;
    for (ptrdiff_t i = 0; i < n && ok; i++) {
        encode_element(buf + used * w, p, a->dt, swap);
        if (++used == per || i == n - 1) {
            ok = fwrite(buf, w, used, f) == used;
            used = 0;
        }
        for (int k = a->ndim - 1; k >= 0; k--) {
            p += a->strides[k];
            if (++idx[k] < a->shape[k])
                break;
            p -= a->strides[k] * a->shape[k];
            idx[k] = 0;
        }
    }
    free(buf);
    return ok;
}

/* ---- saving: the file --------------------------------------------------- */

/* A new file next to path, created exclusively with mode 0666 & ~umask. */
static FILE *open_temp(const char *path, char **name)
{
    static _Atomic unsigned counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        if (asprintf(name, "%s.tmp%ld.%u", path, (long)getpid(), counter++) < 0) {
            *name = NULL;
            nd__fail(ND_ENOMEM, "nd_save_npy: out of memory");
            return NULL;
        }
        int fd = open(*name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            FILE *f = fdopen(fd, "wb");
            if (f != NULL)
                return f;
            close(fd);
            unlink(*name);
        } else if (errno == EEXIST) {
            free(*name);
            *name = NULL;
            continue;
        }
        nd__fail(ND_EIO, "%s: cannot create a file: %s", path, strerror(errno));
        free(*name);
        *name = NULL;
        return NULL;
    }
    nd__fail(ND_EIO, "%s: cannot find a free temporary name", path);
    return NULL;
}

int nd_save_npy(const char *path, const nd_array *a)
{
    char *hdr = NULL, *tmpname = NULL;
    size_t hdr_len = 0;
    FILE *f = NULL;
    int rc = -1;

    if (path == NULL || a == NULL)
        return nd__fail(ND_EVALUE, "nd_save_npy: path or array is NULL");
    if (build_header(a, &hdr, &hdr_len) != 0 || (f = open_temp(path, &tmpname)) == NULL)
        goto out;
    if (fwrite(hdr, 1, hdr_len, f) != hdr_len || !write_data(f, a)) {
        nd__fail(ND_EIO, "%s: write failed: %s", path, strerror(errno));
        goto out;
    }
    int closed = fclose(f);
    f = NULL;
    if (closed != 0) {
        nd__fail(ND_EIO, "%s: write failed: %s", path, strerror(errno));
        goto out;
    }
    if (rename(tmpname, path) != 0) {
        nd__fail(ND_EIO, "%s: cannot replace the file: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (f != NULL)
        fclose(f);
    if (rc != 0 && tmpname != NULL)
        unlink(tmpname);
    free(tmpname);
    free(hdr);
    return rc;
}
