/*
 * options.h - viewcheck's command line, parsed into one struct, plus rule
 * selection (clang-tidy glob grammar) and default model discovery.
 */
#ifndef VC_OPTIONS_H
#define VC_OPTIONS_H

#include <stdbool.h>

typedef enum { VC_FMT_TEXT, VC_FMT_JSON, VC_FMT_SARIF } vc_format;

typedef struct vc_options {
    int n_paths;
    const char **paths;             /* files and directories (argv strings) */
    int n_cc_args;
    const char **cc_args;           /* after `--` (argv strings) */
    vc_format format;
    const char *output;             /* NULL = stdout */
    bool verify, list_rules, version, help, dump_ir;
    int jobs;                       /* >= 1 */
    int n_models;
    const char **models;            /* --model FILE, in order */
    const char *rules;              /* --rules GLOBS; NULL = every rule */
    const char *compdb_dir;         /* -p DIR */
    const char *compdb_file;        /* --compile-commands FILE */
} vc_options;

/* Parses argv (argv[0] is the program). Returns 0, or -1 with *err (heap)
 * describing the bad usage (exit status 2). Arrays are heap (free with
 * vc_options_free); strings point into argv. */
int  vc_options_parse(vc_options *o, int argc, char **argv, char **err);
void vc_options_free(vc_options *o);

/* The --help text. */
const char *vc_usage(void);

/* Applies a clang-tidy style list ("-*,VC001,write-*") to enabled[] (one
 * entry per rule of rules.def, all true initially). Entries match ids or
 * names, case-insensitively, with shell globs; a leading '-' disables. An
 * entry without wildcards that names no rule is an error: returns -1 with
 * *err (heap). */
int  vc_rules_select(const char *globs, bool *enabled, char **err);

/* The default model files, in load order (heap array of heap strings,
 * free with vc_free_strings): $VIEWCHECK_MODEL_DIR/ *.json (sorted) when set,
 * else rules/models/nd.json next to the build tree
 * (<exe dir>/../../rules/models/nd.json), else the installed
 * <exe dir>/../share/viewcheck/models/nd.json, else (build trees placed
 * elsewhere) the source tree's rules/models/nd.json. Returns the count (0 = none
 * found). */
int  vc_default_models(char ***out);
void vc_free_strings(char **v, int n);

#endif /* VC_OPTIONS_H */
