/*
 * driver.h - from command-line paths to lowered translation units.
 */
#ifndef VC_DRIVER_H
#define VC_DRIVER_H

#include "compdb.h"
#include "ir.h"
#include "options.h"
#include "report.h"

/* Expands paths into the list of files to analyze: a file is taken as
 * given (any extension: a header is analyzed as its own TU); a directory
 * contributes its *.c files, recursively, sorted by name (hidden entries
 * skipped). Duplicates are dropped, the first position wins. Returns the
 * count (heap array of heap strings), or -1 with *err (heap) naming the
 * first path that does not exist (exit status 2). */
int vc_collect_inputs(const char *const *paths, int n_paths, char ***files, char **err);

/* Parses and lowers every file with up to o->jobs threads (one CXIndex
 * each). tus[i] belongs to files[i] whatever the completion order; a file
 * libclang could not parse at all has tus[i] == NULL. Compiler errors and
 * unparsable files are added to r as per-file errors. args: compiler
 * arguments from `--`; db: compile database or NULL. Returns 0, -1 on
 * ENOMEM. */
int vc_parse_all(const vc_options *o, vc_compdb *db, char *const *files, int n_files,
                 vc_tu ***tus, vc_report *r);

#endif /* VC_DRIVER_H */
