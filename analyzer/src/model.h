/*
 * model.h - what an array API's functions do, as loaded from
 * rules/models/<api>.json (schema: rules/models/SCHEMA.md). The analysis asks
 * the model, never a function name: no libnd name appears in the engine.
 *
 * Ownership: a vc_model owns every string in it; vc_model_find returns a
 * pointer into the model, valid until vc_model_free.
 */
#ifndef VC_MODEL_H
#define VC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"

/* What a call returns (the "result" key). */
#define VC_RESULT_KINDS(X)                                                  \
    X(VC_RES_NONE, "none")             /* void                            */ \
    X(VC_RES_VALUE, "value")           /* a scalar or metadata: no array  */ \
    X(VC_RES_OWNER, "owner")           /* a fresh array owning its data   */ \
    X(VC_RES_OWNER_OF, "owner-of")     /* the array owning arg `of`'s data */ \
    X(VC_RES_VIEW, "view")             /* always a view of arg `of`       */ \
    X(VC_RES_INDEX_VIEW, "index-view") /* view if the index is basic,     \
                                          copy-by-indexing otherwise       */ \
    X(VC_RES_MAYBE_VIEW, "maybe-view") /* view or copy, by layout         */ \
    X(VC_RES_READONLY_VIEW, "readonly-view")                                \
    X(VC_RES_COPY_BY_INDEXING, "copy-by-indexing")                          \
    X(VC_RES_RAW_POINTER, "raw-pointer") /* pointer into arg `of`'s data  */

typedef enum {
#define X(e, s) e,
    VC_RESULT_KINDS(X)
#undef X
    VC_RES_COUNT
} vc_result_kind;

#define VC_MODEL_MAX_ARG 31         /* argument masks are 32-bit */

typedef struct vc_model_fn {
    char *name;
    vc_result_kind result;
    int of;                         /* the array the result derives from; -1 */
    int index;                      /* index-string argument; -1 */
    int format;                     /* printf-style index format argument; -1 */
    int field;                      /* field-name argument; -1 */
    int fields;                     /* array-of-field-names argument; -1 */
    int items;                      /* array-of-index-items argument; -1 */
    int n_items;                    /* its item count argument; -1 */
    bool keeps_axes;                /* result axes are arg `of`'s axes */
    uint32_t reads, writes, releases;   /* bit i = argument i */
    char *copy_with;                /* the copying twin of a view maker, for
                                       fix-its; NULL */
    char *hint;                     /* advice quoted in diagnostics; NULL */
} vc_model_fn;

struct vc_model {
    int n_fns, cap_fns;
    vc_model_fn *fns;               /* sorted by name after every load */
    int n_handles;
    char **handles;                 /* handle type names, e.g. "nd_array" */
    int n_item_macros;
    struct vc_item_macro {
        char *name;                 /* a macro building one index item */
        bool advanced;              /* the item makes indexing copy */
    } *item_macros;
};

/* The model of `name`, or NULL when the model does not know it. */
const vc_model_fn *vc_model_find(const vc_model *m, const char *name);
/* True when base_type (ir.h vc_var.base_type) is a modelled handle type. */
bool vc_model_is_handle(const vc_model *m, const char *base_type);
/* What the index-item macro `name` builds: 0 unknown (not in the model's
 * "item_macros"), 1 a basic item, 2 an advanced one (a list, a mask). */
int vc_model_item_macro(const vc_model *m, const char *name);
/* The spelling of a result kind ("view"), for messages and tests. */
const char *vc_result_kind_name(vc_result_kind k);
/* Loads a model from JSON text (vc_model_load reads a file and calls this);
 * `origin` names the source in error messages. */
int vc_model_load_text(vc_model **model, const char *text, const char *origin,
                       char **err);

#endif /* VC_MODEL_H */
