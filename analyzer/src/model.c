/*
 * model.c - loads rules/models/<api>.json: what each function of an array API
 * does to its arguments and what it returns (schema: rules/models/SCHEMA.md).
 *
 * Key idea: the analysis engine knows no API names. Everything it needs to
 * know about a call (is the result a view of argument 0? which arguments
 * are read, written, released? which one is an index string?) is data
 * here, so another array library becomes checkable by writing a model file.
 *
 * Invariants:
 *  1. The loader is strict: an unknown key, a value of the wrong type, an
 *     argument position out of range or a view kind without "of" is an
 *     error naming the file and the key path; a failed load leaves the
 *     model it was merging into unchanged.
 *  2. After every load m->fns is sorted by name (bsearch in vc_model_find);
 *     a function modelled again by a later file replaces the earlier entry.
 * Not done here: deciding anything about a call site (dataflow.c does).
 */
#include "model.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_ID "viewcheck-model/1"

static const char *const result_names[] = {
#define X(e, s) s,
    VC_RESULT_KINDS(X)
#undef X
};

const char *vc_result_kind_name(vc_result_kind k)
{
    return (unsigned)k < VC_RES_COUNT ? result_names[k] : "?";
}

static int fn_cmp(const void *a, const void *b)
{
    return strcmp(((const vc_model_fn *)a)->name, ((const vc_model_fn *)b)->name);
}

const vc_model_fn *vc_model_find(const vc_model *m, const char *name)
{
    if (!m || !name || m->n_fns == 0)
        return NULL;
    vc_model_fn key = {.name = (char *)name};
    return bsearch(&key, m->fns, (size_t)m->n_fns, sizeof key, fn_cmp);
}

bool vc_model_is_handle(const vc_model *m, const char *base_type)
{
    if (!m || !base_type)
        return false;
    for (int i = 0; i < m->n_handles; i++)
        if (strcmp(m->handles[i], base_type) == 0)
            return true;
    return false;
}

int vc_model_item_macro(const vc_model *m, const char *name)
{
    if (!m || !name)
        return 0;
    for (int i = 0; i < m->n_item_macros; i++)
        if (strcmp(m->item_macros[i].name, name) == 0)
            return m->item_macros[i].advanced ? 2 : 1;
    return 0;
}

static void fn_clear(vc_model_fn *f)
{
    free(f->name);
    free(f->copy_with);
    free(f->hint);
}

void vc_model_free(vc_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n_fns; i++)
        fn_clear(&m->fns[i]);
    free(m->fns);
    for (int i = 0; i < m->n_handles; i++)
        free(m->handles[i]);
    free(m->handles);
    for (int i = 0; i < m->n_item_macros; i++)
        free(m->item_macros[i].name);
    free(m->item_macros);
    free(m);
}

/* ---- strict parsing ---------------------------------------------------- */

typedef struct loader {
    const char *origin;
    char **err;
} loader;

static int fail(loader *ld, const char *fmt, ...)
{
    char *what = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&what, fmt, ap) < 0)
        what = NULL;
    va_end(ap);
    if (ld->err && !*ld->err &&
        asprintf(ld->err, "%s: %s", ld->origin, what ? what : "out of memory") < 0)
        *ld->err = NULL;
    free(what);
    return -1;
}

static int get_arg(loader *ld, const char *fname, const cJSON *v, const char *key,
                   int *out)
{
    if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble ||
        v->valueint < 0 || v->valueint > VC_MODEL_MAX_ARG)
        return fail(ld, "functions.%s.%s: expected an argument position 0..%d",
                    fname, key, VC_MODEL_MAX_ARG);
    *out = v->valueint;
    return 0;
}

static int get_mask(loader *ld, const char *fname, const cJSON *v, const char *key,
                    uint32_t *out)
{
    if (!cJSON_IsArray(v))
        return fail(ld, "functions.%s.%s: expected an array of argument positions",
                    fname, key);
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
        int a;
        if (get_arg(ld, fname, e, key, &a) < 0)
            return -1;
        *out |= 1u << a;
    }
    return 0;
}

static int get_string(loader *ld, const char *fname, const cJSON *v,
                      const char *key, char **out)
{
    if (!cJSON_IsString(v))
        return fail(ld, "functions.%s.%s: expected a string", fname, key);
    free(*out);
    if (!(*out = strdup(v->valuestring)))
        return fail(ld, "out of memory");
    return 0;
}

static int parse_result(loader *ld, const char *fname, const cJSON *v,
                        vc_result_kind *out)
{
    if (cJSON_IsString(v))
        for (int k = 0; k < VC_RES_COUNT; k++)
            if (strcmp(v->valuestring, result_names[k]) == 0) {
                *out = (vc_result_kind)k;
                return 0;
            }
    return fail(ld, "functions.%s.result: expected one of none, value, owner, "
                "owner-of, view, index-view, maybe-view, readonly-view, "
                "copy-by-indexing, raw-pointer", fname);
}

static bool needs_of(vc_result_kind k)
{
    return k == VC_RES_OWNER_OF || k == VC_RES_VIEW || k == VC_RES_INDEX_VIEW ||
           k == VC_RES_MAYBE_VIEW || k == VC_RES_READONLY_VIEW ||
           k == VC_RES_COPY_BY_INDEXING || k == VC_RES_RAW_POINTER;
}

/* One entry of "functions". Fills *f (zeroed by the caller). */
static int parse_fn(loader *ld, const cJSON *obj, vc_model_fn *f)
{
    const char *fname = obj->string;
    f->of = f->index = f->format = f->field = f->fields = f->items = f->n_items = -1;
    if (!(f->name = strdup(fname)))
        return fail(ld, "out of memory");
    if (!cJSON_IsObject(obj))
        return fail(ld, "functions.%s: expected an object", fname);
    bool have_result = false;
    const cJSON *v;
    cJSON_ArrayForEach(v, obj) {
        const char *k = v->string;
        int rc;
        if (strcmp(k, "result") == 0) {
            rc = parse_result(ld, fname, v, &f->result);
            have_result = true;
        } else if (strcmp(k, "of") == 0) {
            rc = get_arg(ld, fname, v, k, &f->of);
        } else if (strcmp(k, "index") == 0) {
            rc = get_arg(ld, fname, v, k, &f->index);
        } else if (strcmp(k, "format") == 0) {
            rc = get_arg(ld, fname, v, k, &f->format);
        } else if (strcmp(k, "field") == 0) {
            rc = get_arg(ld, fname, v, k, &f->field);
        } else if (strcmp(k, "fields") == 0) {
            rc = get_arg(ld, fname, v, k, &f->fields);
        } else if (strcmp(k, "items") == 0) {
            rc = get_arg(ld, fname, v, k, &f->items);
        } else if (strcmp(k, "n_items") == 0) {
            rc = get_arg(ld, fname, v, k, &f->n_items);
        } else if (strcmp(k, "reads") == 0) {
            rc = get_mask(ld, fname, v, k, &f->reads);
        } else if (strcmp(k, "writes") == 0) {
            rc = get_mask(ld, fname, v, k, &f->writes);
        } else if (strcmp(k, "releases") == 0) {
            rc = get_mask(ld, fname, v, k, &f->releases);
        } else if (strcmp(k, "keeps_axes") == 0) {
            if (!cJSON_IsBool(v))
                return fail(ld, "functions.%s.keeps_axes: expected true or false",
                            fname);
            f->keeps_axes = cJSON_IsTrue(v);
            rc = 0;
        } else if (strcmp(k, "copy_with") == 0) {
            rc = get_string(ld, fname, v, k, &f->copy_with);
        } else if (strcmp(k, "hint") == 0) {
            rc = get_string(ld, fname, v, k, &f->hint);
        } else if (strcmp(k, "doc") == 0) {
            rc = cJSON_IsString(v) ? 0
                 : fail(ld, "functions.%s.doc: expected a string", fname);
        } else {
            rc = fail(ld, "functions.%s: unknown key \"%s\"", fname, k);
        }
        if (rc < 0)
            return -1;
    }
    if (!have_result)
        return fail(ld, "functions.%s: missing key \"result\"", fname);
    if (needs_of(f->result) && f->of < 0)
        return fail(ld, "functions.%s: result \"%s\" needs \"of\"", fname,
                    result_names[f->result]);
    if (f->index >= 0 && f->format >= 0)
        return fail(ld, "functions.%s: \"index\" and \"format\" exclude each other",
                    fname);
    if (f->items >= 0 && (f->index >= 0 || f->format >= 0))
        return fail(ld, "functions.%s: \"items\" excludes \"index\" and \"format\"",
                    fname);
    if ((f->items >= 0) != (f->n_items >= 0))
        return fail(ld, "functions.%s: \"items\" and \"n_items\" go together", fname);
    return 0;
}

/* Adds or replaces fns[i] of m; takes ownership of *f. */
static int put_fn(vc_model *m, vc_model_fn *f)
{
    for (int i = 0; i < m->n_fns; i++)
        if (strcmp(m->fns[i].name, f->name) == 0) {
            fn_clear(&m->fns[i]);
            m->fns[i] = *f;
            return 0;
        }
    if (m->n_fns == m->cap_fns) {
        int cap = m->cap_fns ? 2 * m->cap_fns : 64;
        vc_model_fn *p = realloc(m->fns, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        m->fns = p;
        m->cap_fns = cap;
    }
    m->fns[m->n_fns++] = *f;
    return 0;
}

static int put_handle(vc_model *m, const char *name)
{
    if (vc_model_is_handle(m, name))
        return 0;
    char **p = realloc(m->handles, (size_t)(m->n_handles + 1) * sizeof *p);
    if (!p)
        return -1;
    m->handles = p;
    if (!(p[m->n_handles] = strdup(name)))
        return -1;
    m->n_handles++;
    return 0;
}

/* "item_macros": {"basic": [names], "advanced": [names]} */
static int validate_item_macros(loader *ld, const cJSON *v)
{
    if (!cJSON_IsObject(v))
        return fail(ld, "item_macros: expected an object");
    const cJSON *k;
    cJSON_ArrayForEach(k, v) {
        if (strcmp(k->string, "basic") != 0 && strcmp(k->string, "advanced") != 0)
            return fail(ld, "item_macros: unknown key \"%s\"", k->string);
        if (!cJSON_IsArray(k))
            return fail(ld, "item_macros.%s: expected an array of macro names", k->string);
        const cJSON *e;
        cJSON_ArrayForEach(e, k)
            if (!cJSON_IsString(e) || !*e->valuestring)
                return fail(ld, "item_macros.%s: expected macro names (strings)",
                            k->string);
    }
    return 0;
}

/* Adds or replaces an item macro (a later file wins). */
static int put_item_macro(vc_model *m, const char *name, bool advanced)
{
    for (int i = 0; i < m->n_item_macros; i++)
        if (strcmp(m->item_macros[i].name, name) == 0) {
            m->item_macros[i].advanced = advanced;
            return 0;
        }
    struct vc_item_macro *p =
        realloc(m->item_macros, (size_t)(m->n_item_macros + 1) * sizeof *p);
    if (!p)
        return -1;
    m->item_macros = p;
    if (!(p[m->n_item_macros].name = strdup(name)))
        return -1;
    p[m->n_item_macros++].advanced = advanced;
    return 0;
}

/* Checks the whole document before touching the model (invariant 1). */
static int validate_top(loader *ld, const cJSON *root)
{
    if (!cJSON_IsObject(root))
        return fail(ld, "expected a JSON object at the top level");
    const cJSON *v;
    bool schema = false, fns = false;
    cJSON_ArrayForEach(v, root) {
        const char *k = v->string;
        if (strcmp(k, "schema") == 0) {
            if (!cJSON_IsString(v) || strcmp(v->valuestring, SCHEMA_ID) != 0)
                return fail(ld, "schema: expected \"" SCHEMA_ID "\"");
            schema = true;
        } else if (strcmp(k, "library") == 0 || strcmp(k, "doc") == 0) {
            if (!cJSON_IsString(v))
                return fail(ld, "%s: expected a string", k);
        } else if (strcmp(k, "handle_types") == 0) {
            if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
                return fail(ld, "handle_types: expected a non-empty array of "
                            "type names");
            const cJSON *e;
            cJSON_ArrayForEach(e, v)
                if (!cJSON_IsString(e) || !*e->valuestring)
                    return fail(ld, "handle_types: expected type names (strings)");
        } else if (strcmp(k, "item_macros") == 0) {
            if (validate_item_macros(ld, v) < 0)
                return -1;
        } else if (strcmp(k, "functions") == 0) {
            if (!cJSON_IsObject(v))
                return fail(ld, "functions: expected an object");
            fns = true;
        } else {
            return fail(ld, "unknown key \"%s\"", k);
        }
    }
    if (!schema)
        return fail(ld, "missing key \"schema\"");
    if (!fns)
        return fail(ld, "missing key \"functions\"");
    return 0;
}

int vc_model_load_text(vc_model **model, const char *text, const char *origin,
                       char **err)
{
    loader ld = {origin ? origin : "<model>", err};
    int rc = -1, n = 0;
    vc_model_fn *parsed = NULL;
    bool fresh = false;
    if (err)
        *err = NULL;
    cJSON *root = cJSON_Parse(text);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        fail(&ld, "invalid JSON near \"%.20s\"", at ? at : "");
        goto out;
    }
    if (validate_top(&ld, root) < 0)
        goto out;
    const cJSON *fns = cJSON_GetObjectItemCaseSensitive(root, "functions");
    int cnt = cJSON_GetArraySize(fns);
    if (!(parsed = calloc((size_t)cnt + 1, sizeof *parsed))) {
        fail(&ld, "out of memory");
        goto out;
    }
    const cJSON *f;
    cJSON_ArrayForEach(f, fns) {
        if (parse_fn(&ld, f, &parsed[n++]) < 0)
            goto out;
    }
    if (!*model) {
        if (!(*model = calloc(1, sizeof **model))) {
            fail(&ld, "out of memory");
            goto out;
        }
        fresh = true;
    }
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(root, "handle_types"))
        if (put_handle(*model, h->valuestring) < 0) {
            fail(&ld, "out of memory");
            goto out;
        }
    const cJSON *im = cJSON_GetObjectItemCaseSensitive(root, "item_macros"), *kind;
    cJSON_ArrayForEach(kind, im) {
        const cJSON *e;
        cJSON_ArrayForEach(e, kind)
            if (put_item_macro(*model, e->valuestring,
                               strcmp(kind->string, "advanced") == 0) < 0) {
                fail(&ld, "out of memory");
                goto out;
            }
    }
    for (int i = 0; i < n; i++) {
        if (put_fn(*model, &parsed[i]) < 0) {
            fail(&ld, "out of memory");
            goto out;
        }
        memset(&parsed[i], 0, sizeof parsed[i]);
    }
    qsort((*model)->fns, (size_t)(*model)->n_fns, sizeof *(*model)->fns, fn_cmp);
    rc = 0;
out:
    for (int i = 0; parsed && i < n; i++)
        fn_clear(&parsed[i]);
    free(parsed);
    cJSON_Delete(root);
    if (rc < 0 && fresh) {
        vc_model_free(*model);
        *model = NULL;
    }
    return rc;
}

int vc_model_load(vc_model **model, const char *path, char **err)
{
    loader ld = {path, err};
    char *text = NULL;
    int rc = -1;
    if (err)
        *err = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return fail(&ld, "cannot open: %s", strerror(errno));
    size_t cap = 0, len = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 65536;
            char *p = realloc(text, cap);
            if (!p) {
                fail(&ld, "out of memory");
                goto out;
            }
            text = p;
        }
        size_t got = fread(text + len, 1, cap - len - 1, fp);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        fail(&ld, "read error");
        goto out;
    }
    text[len] = '\0';
    rc = vc_model_load_text(model, text, path, err);
out:
    free(text);
    fclose(fp);
    return rc;
}
