/*
 * compdb.h - compile_commands.json through libclang's compilation database.
 */
#ifndef VC_COMPDB_H
#define VC_COMPDB_H

typedef struct vc_compdb vc_compdb;

/* Opens the database in directory `dir` (-p DIR) or the file `file`
 * (--compile-commands FILE; any name). Exactly one is non-NULL. Returns
 * NULL with *err (heap) when there is no readable database. */
vc_compdb *vc_compdb_open(const char *dir, const char *file, char **err);
void       vc_compdb_free(vc_compdb *db);

/* The cleaned compiler arguments for `path` (no argv[0], no input file, no
 * -o/-c/-M*, ... ; `-working-directory DIR` appended), as a heap array of
 * heap strings (free with vc_free_strings from options.h). A file missing
 * from the database gets libclang's interpolated command. Returns the count,
 * or -1 on ENOMEM. Not thread-safe: call before starting workers. */
int vc_compdb_args(vc_compdb *db, const char *path, char ***out);

/* Every file of the database (as written, made absolute against its
 * directory), sorted, without duplicates; heap. Returns the count. */
int vc_compdb_files(vc_compdb *db, char ***out);

#endif /* VC_COMPDB_H */
