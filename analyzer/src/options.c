/*
 * options.c - the command line: `viewcheck [options] PATH... [-- ARGS]`.
 *
 * Key idea: one table of options (name, short alias, takes a value, what
 * to set) drives parsing, so --help, the parser and the tests agree. Both
 * `--opt VALUE` and `--opt=VALUE` are accepted, and `-jN`, `-pDIR`,
 * `-oFILE` for the short forms. Everything after `--` is passed to the
 * compiler unchanged.
 *
 * Invariants: parsing never exits or prints; errors come back as a message
 * for main.c to print with exit status 2. Rule ids and names come from the
 * analysis half (analysis.h), never from a list here.
 */
#include "options.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"

enum opt_id {
    O_FORMAT, O_OUTPUT, O_VERIFY, O_JOBS, O_MODEL, O_RULES, O_LIST_RULES,
    O_VERSION, O_HELP, O_P, O_CDB, O_DUMP_IR
};

static const struct opt {
    const char *name;               /* long form */
    const char *shrt;               /* short form or NULL */
    const char *arg;                /* value name, NULL = flag */
    enum opt_id id;
    const char *help;
} opts[] = {
    { "--format", NULL, "FMT", O_FORMAT, "text (default), json or sarif" },
    { "--output", "-o", "FILE", O_OUTPUT, "write the report to FILE" },
    { "--verify", NULL, NULL, O_VERIFY, "check `// expect-viewcheck[RULE]` comments" },
    { "--jobs", "-j", "N", O_JOBS, "parse N files in parallel (default: CPUs)" },
    { "--model", NULL, "FILE", O_MODEL, "also load this API model (repeatable)" },
    { "--rules", NULL, "GLOBS", O_RULES, "select rules, clang-tidy style: '-*,VC001'" },
    { "--list-rules", NULL, NULL, O_LIST_RULES, "list the rules and exit" },
    { "--build-dir", "-p", "DIR", O_P, "use DIR/compile_commands.json" },
    { "--compile-commands", NULL, "FILE", O_CDB, "use this compilation database" },
    { "--dump-ir", NULL, NULL, O_DUMP_IR, "print the IR of every function" },
    { "--version", NULL, NULL, O_VERSION, "print the version and exit" },
    { "--help", "-h", NULL, O_HELP, "this text" },
};

const char *vc_usage(void)
{
    static char buf[3072];
    if (buf[0])
        return buf;
    size_t n = (size_t)snprintf(buf, sizeof buf,
        "usage: viewcheck [options] PATH... [-- COMPILER_ARGS]\n"
        "Finds in-place writes through array views that corrupt a parent still in use.\n"
        "PATH: C files, or directories searched recursively for *.c. With -p and no\n"
        "PATH, every file of the compilation database.\n\noptions:\n");
    for (size_t i = 0; i < sizeof opts / sizeof opts[0] && n < sizeof buf; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s%s%s", opts[i].shrt ? opts[i].shrt : "",
                 opts[i].shrt ? ", " : "    ", opts[i].name, opts[i].arg ? " " : "",
                 opts[i].arg ? opts[i].arg : "");
        n += (size_t)snprintf(buf + n, sizeof buf - n, "  %-28s %s\n", left, opts[i].help);
    }
    if (n < sizeof buf)
        snprintf(buf + n, sizeof buf - n,
                 "\nenvironment: VIEWCHECK_MODEL_DIR (load every *.json there instead of the\n"
                 "default model), VIEWCHECK_RESOURCE_DIR (clang resource dir, if the builtin\n"
                 "headers are not found)\n"
                 "exit status: 0 nothing found, 1 findings, 2 bad usage or input,\n"
                 "3 some file could not be analyzed (the others still are)\n");
    return buf;
}

static int fail(char **err, const char *fmt, const char *a)
{
    if (asprintf(err, fmt, a) < 0)
        *err = NULL;
    return -1;
}

static int push(const char ***arr, int *n, const char *s)
{
    const char **p = realloc(*arr, (size_t)(*n + 1) * sizeof *p);
    if (!p)
        return -1;
    p[(*n)++] = s;
    *arr = p;
    return 0;
}

static int set(vc_options *o, enum opt_id id, const char *v, char **err)
{
    switch (id) {
    case O_FORMAT:
        if (!strcmp(v, "text"))
            o->format = VC_FMT_TEXT;
        else if (!strcmp(v, "json"))
            o->format = VC_FMT_JSON;
        else if (!strcmp(v, "sarif"))
            o->format = VC_FMT_SARIF;
        else
            return fail(err, "unknown format '%s' (text, json or sarif)", v);
        return 0;
    case O_OUTPUT: o->output = v; return 0;
    case O_JOBS: {
        char *end;
        errno = 0;
        long j = strtol(v, &end, 10);
        if (errno || *end || j < 1 || j > 1024)
            return fail(err, "bad job count '%s'", v);
        o->jobs = (int)j;
        return 0;
    }
    case O_MODEL: return push(&o->models, &o->n_models, v) ? fail(err, "%s", "out of memory") : 0;
    case O_RULES: o->rules = v; return 0;
    case O_P: o->compdb_dir = v; return 0;
    case O_CDB: o->compdb_file = v; return 0;
    case O_VERIFY: o->verify = true; return 0;
    case O_LIST_RULES: o->list_rules = true; return 0;
    case O_VERSION: o->version = true; return 0;
    case O_HELP: o->help = true; return 0;
    case O_DUMP_IR: o->dump_ir = true; return 0;
    }
    return 0;
}

int vc_options_parse(vc_options *o, int argc, char **argv, char **err)
{
    memset(o, 0, sizeof *o);
    *err = NULL;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->jobs = cpus > 0 ? (int)(cpus > 64 ? 64 : cpus) : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                if (push(&o->cc_args, &o->n_cc_args, argv[i]))
                    return fail(err, "%s", "out of memory");
            break;
        }
        if (a[0] != '-' || !a[1]) {
            if (push(&o->paths, &o->n_paths, a))
                return fail(err, "%s", "out of memory");
            continue;
        }
        const struct opt *hit = NULL;
        const char *val = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0] && !hit; k++) {
            const struct opt *op = &opts[k];
            size_t ln = strlen(op->name);
            if (!strcmp(a, op->name) || (op->shrt && !strcmp(a, op->shrt))) {
                hit = op;
            } else if ((op->arg != NULL) && !strncmp(a, op->name, ln) && a[ln] == '=') {
                hit = op;
                val = a + ln + 1;
            } else if ((op->arg != NULL) && op->shrt && !strncmp(a, op->shrt, 2) && a[2]) {
                hit = op;           /* -j4, -pbuild, -oout.json */
                val = a + 2;
            }
        }
        if (!hit)
            return fail(err, "unknown option '%s'", a);
        if ((hit->arg != NULL) && !val) {
            if (i + 1 >= argc)
                return fail(err, "option '%s' needs a value", a);
            val = argv[++i];
        }
        if (!(hit->arg != NULL) && val)
            return fail(err, "option '%s' takes no value", a);
        if (set(o, hit->id, val, err))
            return -1;
    }
    if (o->compdb_dir && o->compdb_file)
        return fail(err, "%s", "give either -p DIR or --compile-commands FILE, not both");
    return 0;
}

void vc_options_free(vc_options *o)
{
    free(o->paths);
    free(o->cc_args);
    free(o->models);
    memset(o, 0, sizeof *o);
}

static bool has_glob(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '[')
            return true;
    return false;
}

int vc_rules_select(const char *globs, bool *enabled, char **err)
{
    *err = NULL;
    if (!globs)
        return 0;
    const char *p = globs;
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t n = (size_t)(e - p);
        while (n && p[n - 1] == ' ')
            n--;
        bool on = true;
        if (*p == '-') {
            on = false;
            p++;
            n--;
        }
        char pat[128];
        if (n == 0 || n >= sizeof pat)
            return fail(err, "bad rule list '%s'", globs);
        memcpy(pat, p, n);
        pat[n] = 0;
        int hits = 0;
        for (int i = 0; i < vc_rule_count(); i++)
            if (!fnmatch(pat, vc_rule_id(i), FNM_CASEFOLD) ||
                !fnmatch(pat, vc_rule_name(i), FNM_CASEFOLD)) {
                enabled[i] = on;
                hits++;
            }
        if (!hits && !has_glob(pat, n))
            return fail(err, "unknown rule '%s' in --rules (see --list-rules)", pat);
        p = e;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void vc_free_strings(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int vc_default_models(char ***out)
{
    *out = NULL;
    const char *dir = getenv("VIEWCHECK_MODEL_DIR");
    char **v = NULL;
    int n = 0;
    if (dir && *dir) {
        DIR *d = opendir(dir);
        if (!d)
            return 0;
        struct dirent *de;
        while ((de = readdir(d))) {
            size_t l = strlen(de->d_name);
            if (l < 6 || strcmp(de->d_name + l - 5, ".json"))
                continue;
            char **nv = realloc(v, (size_t)(n + 1) * sizeof *nv);
            if (!nv)
                break;
            v = nv;
            if (asprintf(&v[n], "%s/%s", dir, de->d_name) < 0)
                break;
            n++;
        }
        closedir(d);
        if (n > 1)
            qsort(v, (size_t)n, sizeof *v, cmp_str);
        *out = v;
        return n;
    }
    char exe[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l <= 0)
        return 0;
    exe[l] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = 0;
    static const char *const rel[] = { "/../../rules/models/nd.json",
                                       "/../share/viewcheck/models/nd.json" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s%s", exe, rel[i]);
        if (access(path, R_OK) == 0) {
            char *real = realpath(path, NULL);
            v = malloc(sizeof *v);
            if (!v || !real) {
                free(v);
                free(real);
                return 0;
            }
            v[0] = real;
            *out = v;
            return 1;
        }
    }
#ifdef VC_SOURCE_MODEL_DIR
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/nd.json", VC_SOURCE_MODEL_DIR);
    if (access(path, R_OK) == 0 && (v = malloc(sizeof *v)) && (v[0] = strdup(path))) {
        *out = v;
        return 1;
    }
    free(v);
#endif
    return 0;
}
