/*
 * source.c - one linear scan of the main file's bytes for the two things
 * the AST does not carry: comments (for suppressions and --verify
 * expectations) and `#define` lines (macro names, for suppressions placed
 * on a definition).
 *
 * Key idea: a six-state lexer (code, string, char, line comment, block
 * comment, and the start of a line for `#`) is all it takes to not mistake
 * "// in a string" for a comment; it is ~10x cheaper than asking libclang
 * for every token of the file (libclang-notes 6: 0.5 ms/kLOC).
 *
 * Invariants: comments are recorded in file order with 1-based start and
 * end lines; the text includes the delimiters (`// ...`, `/ * ... * /`);
 * a backslash-newline inside a line comment continues it, as in C.
 * Not done: trigraphs, and comments inside `#if 0` are recorded like any
 * other (harmless: they only ever add suppressions the user wrote).
 */
#include <string.h>

#include "arena.h"
#include "cx.h"

static int add_comment(vc_tu *tu, int *cap, const char *b, size_t n,
                       unsigned line, unsigned end_line)
{
    if (tu->n_comments == *cap) {
        int ncap = *cap ? *cap * 2 : 32;
        void *p = vc_arena_grow(tu->arena, tu->comments, (size_t)*cap, (size_t)ncap,
                                sizeof(vc_comment));
        if (!p)
            return -1;
        tu->comments = p;
        *cap = ncap;
    }
    vc_comment *c = &tu->comments[tu->n_comments++];
    c->line = line;
    c->end_line = end_line;
    c->text = vc_arena_strndup(tu->arena, b, n);
    return c->text ? 0 : -1;
}

static int add_macro(vc_tu *tu, int *cap, const char *b, size_t n, unsigned line)
{
    if (tu->n_macros == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        void *p = vc_arena_grow(tu->arena, tu->macros, (size_t)*cap, (size_t)ncap,
                                sizeof *tu->macros);
        if (!p)
            return -1;
        tu->macros = p;
        *cap = ncap;
    }
    tu->macros[tu->n_macros].name = vc_arena_strndup(tu->arena, b, n);
    tu->macros[tu->n_macros].line = line;
    return tu->macros[tu->n_macros++].name ? 0 : -1;
}

static int ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* At a `#` that starts a line: records `# define NAME`. */
static int directive(vc_tu *tu, int *cap, const char *buf, size_t len, size_t i,
                     unsigned line)
{
    size_t j = i + 1;
    while (j < len && (buf[j] == ' ' || buf[j] == '\t'))
        j++;
    if (len - j < 6 || strncmp(buf + j, "define", 6) || ident_char(buf[j + 6] ? buf[j + 6] : ' '))
        return 0;
    j += 6;
    while (j < len && (buf[j] == ' ' || buf[j] == '\t'))
        j++;
    size_t s = j;
    while (j < len && ident_char(buf[j]))
        j++;
    return j > s ? add_macro(tu, cap, buf + s, j - s, line) : 0;
}

int vc__scan_source(vc_tu *tu, const char *buf, size_t len)
{
    int ccap = 0, mcap = 0;
    unsigned line = 1;
    int bol = 1;                    /* only blanks so far on this line */
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (c == '\n') {
            line++;
            bol = 1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
            continue;
        if (c == '#' && bol) {
            if (directive(tu, &mcap, buf, len, i, line))
                return -1;
            bol = 0;
            continue;
        }
        bol = 0;
        if (c == '"' || c == '\'') {
            for (i++; i < len && buf[i] != c && buf[i] != '\n'; i++)
                if (buf[i] == '\\' && i + 1 < len) {
                    i++;
                    if (buf[i] == '\n')
                        line++;
                }
            if (i < len && buf[i] == '\n')
                line++, bol = 1;   /* unterminated literal ends at the line */
            continue;
        }
        if (c == '/' && i + 1 < len && buf[i + 1] == '/') {
            size_t s = i;
            unsigned l0 = line;
            for (; i < len && buf[i] != '\n'; i++)
                if (buf[i] == '\\' && i + 1 < len && buf[i + 1] == '\n')
                    i++, line++;
            if (add_comment(tu, &ccap, buf + s, i - s, l0, line))
                return -1;
            if (i < len)
                line++, bol = 1;
            continue;
        }
        if (c == '/' && i + 1 < len && buf[i + 1] == '*') {
            size_t s = i;
            unsigned l0 = line;
            for (i += 2; i < len && !(buf[i] == '*' && i + 1 < len && buf[i + 1] == '/'); i++)
                if (buf[i] == '\n')
                    line++;
            i = i < len ? i + 1 : len;
            if (add_comment(tu, &ccap, buf + s, (i < len ? i + 1 : len) - s, l0, line))
                return -1;
            continue;
        }
    }
    return 0;
}
