/*
 * main.c - viewcheck's entry point: options, models, inputs, the run, the
 * output, and the exit status.
 *
 * Exit status (analyzer-ux 7; checked by tests/analyzer/bad-input.cmake):
 *   0  every file analyzed, nothing found
 *   1  findings (unsuppressed), every file analyzed
 *   2  bad usage or input: unknown option, unknown rule, bad model, a path
 *      on the command line that does not exist, unreadable database
 *   3  some file could not be (fully) analyzed: compiler errors or no TU;
 *      the other files are still analyzed and reported (wins over 1)
 * With --verify: 0 when every expectation matched, else 1 (2 as above).
 *
 * Key idea: the pipeline is linear and each stage owns one concern:
 * collect (driver) -> parse + lower in parallel (driver, cx, walk) ->
 * analyze all TUs at once (analysis.h) -> suppress -> sort -> emit. The
 * report is sorted before any emitter runs, so output is identical for any
 * -j and any input order of the same files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "compdb.h"
#include "cx.h"
#include "driver.h"
#include "emit.h"
#include "options.h"
#include "report.h"
#include "suppress.h"
#include "verify.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3 };

static int usage_error(const char *msg)
{
    fprintf(stderr, "viewcheck: error: %s\nTry 'viewcheck --help'.\n", msg ? msg : "out of memory");
    return EXIT_USAGE;
}

static int list_rules(void)
{
    for (int i = 0; i < vc_rule_count(); i++)
        printf("%-6s %-26s %s\n", vc_rule_id(i), vc_rule_name(i), vc_rule_summary(i));
    return EXIT_CLEAN;
}

static int load_models(const vc_options *o, vc_model **model)
{
    char **defs = NULL;
    int nd = vc_default_models(&defs), rc = 0;
    char *err = NULL;
    for (int i = 0; i < nd && !rc; i++)
        if (vc_model_load(model, defs[i], &err)) {
            fprintf(stderr, "viewcheck: error: %s\n", err ? err : defs[i]);
            rc = -1;
        }
    for (int i = 0; i < o->n_models && !rc; i++) {
        /* an explicit model that is also the default is loaded once */
        bool dup = false;
        char *real = realpath(o->models[i], NULL);
        for (int k = 0; k < nd && real && !dup; k++)
            dup = !strcmp(real, defs[k]);
        free(real);
        if (!dup && vc_model_load(model, o->models[i], &err)) {
            fprintf(stderr, "viewcheck: error: %s\n", err ? err : o->models[i]);
            rc = -1;
        }
    }
    if (!rc && nd == 0 && o->n_models == 0)
        fprintf(stderr, "viewcheck: warning: no API model found (set VIEWCHECK_MODEL_DIR "
                        "or pass --model FILE)\n");
    free(err);
    vc_free_strings(defs, nd);
    return rc;
}

static void dump_ir(vc_tu *const *tus, int n)
{
    for (int t = 0; t < n; t++)
        for (int f = 0; tus[t] && f < tus[t]->n_funcs; f++) {
            char *s = vc_ir_dump(&tus[t]->funcs[f]);
            if (s)
                printf("# %s\n%s\n", tus[t]->path, s);
            free(s);
        }
}

/* -o FILE never leaves a half-written report behind: the report goes to a
 * temporary file beside FILE, which replaces FILE only once it is complete.
 * Returns the stream, or NULL (nothing created); *tmp is the caller's. */
static FILE *open_output(const char *path, char **tmp)
{
    size_t n = strlen(path) + sizeof ".viewcheck-tmp";
    FILE *f = NULL;
    if ((*tmp = malloc(n)) != NULL) {
        snprintf(*tmp, n, "%s.viewcheck-tmp", path);
        f = fopen(*tmp, "w");
    }
    return f;
}

/* Closes the temporary report and, when `keep`, moves it over `path`;
 * otherwise removes it. Returns 0, or -1 after saying why. */
static int close_output(FILE *f, const char *tmp, const char *path, bool keep)
{
    bool ok = fclose(f) == 0 && keep;
    if (ok && rename(tmp, path) == 0)
        return 0;
    remove(tmp);
    if (keep)
        fprintf(stderr, "viewcheck: error: cannot write %s\n", path);
    return keep ? -1 : 0;
}

int main(int argc, char **argv)
{
    vc_options o;
    char *err = NULL;
    if (vc_options_parse(&o, argc, argv, &err)) {
        int rc = usage_error(err);
        free(err);
        vc_options_free(&o);
        return rc;
    }
    int rc = EXIT_USAGE, n_files = 0;
    bool *enabled = NULL;
    vc_model *model = NULL;
    vc_compdb *db = NULL;
    char **files = NULL;
    vc_tu **tus = NULL;
    vc_report rep;
    vc_report_init(&rep);
    FILE *out = stdout;
    char *tmp_output = NULL;        /* -o writes here, renamed when complete */

    if (o.help) {
        fputs(vc_usage(), stdout);
        rc = EXIT_CLEAN;
        goto done;
    }
    if (o.version) {
        char *v = vc_cx_version();
        printf("viewcheck %s (%s)\n", VC_VERSION, v ? v : "libclang");
        free(v);
        rc = EXIT_CLEAN;
        goto done;
    }
    if (o.list_rules) {
        rc = list_rules();
        goto done;
    }
    enabled = calloc((size_t)vc_rule_count() + 1, sizeof *enabled);
    if (!enabled)
        goto done;
    for (int i = 0; i < vc_rule_count(); i++)
        enabled[i] = true;
    if (vc_rules_select(o.rules, enabled, &err)) {
        rc = usage_error(err);
        goto done;
    }
    if (load_models(&o, &model))
        goto done;
    if (o.compdb_dir || o.compdb_file) {
        if (!(db = vc_compdb_open(o.compdb_dir, o.compdb_file, &err))) {
            rc = usage_error(err);
            goto done;
        }
    }
    if (o.n_paths == 0 && db) {
        n_files = vc_compdb_files(db, &files);
    } else if (o.n_paths == 0) {
        rc = usage_error("no input files");
        goto done;
    } else if ((n_files = vc_collect_inputs(o.paths, o.n_paths, &files, &err)) < 0) {
        n_files = 0;
        rc = usage_error(err);
        goto done;
    }
    if (vc_parse_all(&o, db, files, n_files, &tus, &rep)) {
        fprintf(stderr, "viewcheck: error: out of memory\n");
        rc = EXIT_INCOMPLETE;
        goto done;
    }
    if (o.dump_ir)
        dump_ir(tus, n_files);

    /* the analysis sees only the TUs that exist, in input order */
    vc_tu **live = calloc((size_t)n_files + 1, sizeof *live);
    int n_live = 0;
    for (int i = 0; live && i < n_files; i++)
        if (tus[i])
            live[n_live++] = tus[i];
    if (!live || vc_analyze((vc_tu *const *)live, n_live, model, enabled, &rep)) {
        free(live);
        fprintf(stderr, "viewcheck: error: out of memory during analysis\n");
        rc = EXIT_INCOMPLETE;
        goto done;
    }
    vc_suppress_apply(&rep, live, n_live);
    vc_report_sort(&rep);

    if (o.output && !(out = open_output(o.output, &tmp_output))) {
        free(live);
        fprintf(stderr, "viewcheck: error: cannot write %s\n", o.output);
        out = stdout;
        rc = EXIT_USAGE;
        goto done;
    }
    if (o.verify) {
        vc_verify_stats st;
        rc = vc_verify(&rep, live, n_live, out, &st);
        free(live);
        goto done;
    }
    free(live);
    int werr = 0;
    switch (o.format) {
    case VC_FMT_TEXT: werr = vc_emit_text(out, &rep); break;
    case VC_FMT_JSON: werr = vc_emit_json(out, &rep); break;
    case VC_FMT_SARIF: werr = vc_emit_sarif(out, &rep); break;
    }
    vc_emit_errors(stderr, &rep);
    if (o.format == VC_FMT_TEXT)
        vc_emit_summary(stderr, &rep, n_files);
    bool findings = false;
    for (int i = 0; i < rep.n_diags && !findings; i++)
        findings = !rep.diags[i].suppressed;
    rc = rep.n_errors ? EXIT_INCOMPLETE : findings ? EXIT_FINDINGS : EXIT_CLEAN;
    if (werr) {
        fprintf(stderr, "viewcheck: error: cannot write the report\n");
        rc = EXIT_USAGE;
    }
done:
    if (out != stdout && close_output(out, tmp_output, o.output, rc != EXIT_USAGE))
        rc = EXIT_USAGE;
    free(tmp_output);
    for (int i = 0; tus && i < n_files; i++)
        vc_tu_free(tus[i]);
    free(tus);
    vc_free_strings(files, n_files);
    vc_compdb_free(db);
    vc_model_free(model);
    vc_report_free(&rep);
    free(enabled);
    free(err);
    vc_options_free(&o);
    return rc;
}
