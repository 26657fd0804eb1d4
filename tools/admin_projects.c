/* devplat-admin: the project catalogue for scripts.
 *
 *   project import [--format jsonl|csv] FILE    (FILE - : standard input)
 *   project export [--format jsonl|csv]
 *   project reindex                             (admin_catalogue.c)
 *
 * import reads JSON lines (one object a line) or CSV (RFC 4180, a header
 * line of 000's field names), checks every project with the rules of the
 * admin face (modules/core/project_rules.h) and the levels table, and
 * writes all of them with their audit rows in one transaction, or nothing:
 * every broken line is reported with its number and field first. An "id"
 * (as export writes it) is allowed and ignored: import always adds. export
 * writes every project that is not deleted, with its id, oldest first, so
 * that an import of its output adds them in the listing's order. */
#include <errno.h>
#include <stdarg.h>

#include <apr_hash.h>
#include <json-c/json.h>

#include "devplat_admin.h"
#include "account_sql.h"
#include "catalogue_sql.h"
#include "json_strict.h"
#include "project_rules.h"

#define ERRORS_SHOWN  20        /* of a file with many broken lines */
#define JSON_DEPTH    8
#define READ_CHUNK    65536

typedef enum { FORMAT_GUESS = 0, FORMAT_JSONL, FORMAT_CSV } format;

typedef struct {
    int import;
    int reindex;
    format fmt;
    const char *file;
} project_args;

/* One project of the file: where it starts and its fields as JSON. */
typedef struct {
    int line;
    json_object *obj;
    devplat_project_input in;
} record;

typedef struct {
    admin_ctx *c;
    const char *file;           /* as messages name it */
    int errors;
    apr_array_header_t *records;
    apr_array_header_t *messages;       /* of line_error */
} import_ctx;

typedef struct {
    const char *s;
    apr_size_t n;
} cell;

/* ------------------------------------------------------------ arguments */

static int format_named(const char *s, format *out)
{
    if (!strcmp(s, "jsonl") || !strcmp(s, "json")) {
        *out = FORMAT_JSONL;
    }
    else if (!strcmp(s, "csv")) {
        *out = FORMAT_CSV;
    }
    else {
        return 0;
    }
    return 1;
}

static int ends_with(const char *s, const char *tail)
{
    apr_size_t n = strlen(s), m = strlen(tail);

    return n >= m && !strcasecmp(s + n - m, tail);
}

/* 0 with *a, or EXIT_USAGE after the message. */
static int parse_args(int nargs, const char *const *args, project_args *a)
{
    int i;

    memset(a, 0, sizeof(*a));
    if (nargs < 1) {
        return usage_error("%s", "project takes 'import FILE' or 'export'");
    }
    if (!strcmp(args[0], "import")) {
        a->import = 1;
    }
    else if (!strcmp(args[0], "reindex")) {
        a->reindex = 1;
        if (nargs > 1) {
            return usage_error("project reindex: unexpected argument '%s'", args[1]);
        }
        return 0;
    }
    else if (strcmp(args[0], "export")) {
        return usage_error("unknown project command '%s' (import, export or reindex)",
                           args[0]);
    }
    for (i = 1; i < nargs; i++) {
        const char *v;

        if (!strcmp(args[i], "--format")) {
            if (i + 1 >= nargs) {
                return usage_error("%s", "--format needs jsonl or csv");
            }
            v = args[++i];
        }
        else if (!strncmp(args[i], "--format=", 9)) {
            v = args[i] + 9;
        }
        else if (a->import && !a->file && (args[i][0] != '-' || !strcmp(args[i], "-"))) {
            a->file = args[i];
            continue;
        }
        else {
            return usage_error("project %s: unexpected argument '%s'", args[0], args[i]);
        }
        if (!format_named(v, &a->fmt)) {
            return usage_error("--format takes jsonl or csv, not '%s'", v);
        }
    }
    if (a->import && !a->file) {
        return usage_error("%s", "project import needs a FILE (- for standard input)");
    }
    if (a->fmt == FORMAT_GUESS) {
        if (!a->import || !strcmp(a->file, "-") || ends_with(a->file, ".jsonl")
            || ends_with(a->file, ".json")) {
            a->fmt = FORMAT_JSONL;
        }
        else if (ends_with(a->file, ".csv")) {
            a->fmt = FORMAT_CSV;
        }
        else {
            return usage_error("cannot tell the format of %s from its name (.jsonl, "
                               ".json or .csv): give --format jsonl or csv", a->file);
        }
    }
    return 0;
}

int cmd_project_check(int nargs, const char *const *args)
{
    project_args a;

    return parse_args(nargs, args, &a);
}

/* ------------------------------------------------------------ reading */

/* An error of line N, kept until the whole file is read and checked:
 * they are shown in the order of the lines. */
typedef struct {
    int line, seq;
    const char *text;
} line_error;

static void report(import_ctx *x, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report(import_ctx *x, int line, const char *fmt, ...)
{
    line_error *e = apr_array_push(x->messages);
    va_list ap;

    va_start(ap, fmt);
    e->text = apr_pvsprintf(x->c->pool, fmt, ap);
    va_end(ap);
    e->line = line;
    e->seq = x->errors++;
}

static int by_line(const void *a, const void *b)
{
    const line_error *x = a, *y = b;

    return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
                              : (x->seq > y->seq) - (x->seq < y->seq);
}

/* "devplat-admin: FILE: line N: ..." for the first ERRORS_SHOWN errors. */
static int show_errors(import_ctx *x)
{
    int i;

    qsort(x->messages->elts, x->messages->nelts, sizeof(line_error), by_line);
    for (i = 0; i < x->messages->nelts && i < ERRORS_SHOWN; i++) {
        const line_error *e = &APR_ARRAY_IDX(x->messages, i, line_error);

        fprintf(stderr, "devplat-admin: %s: line %d: %s\n", x->file, e->line, e->text);
    }
    if (x->errors > ERRORS_SHOWN) {
        fprintf(stderr, "devplat-admin: %s: %d more errors not shown\n", x->file,
                x->errors - ERRORS_SHOWN);
    }
    return fail("%s: %d error%s; nothing was imported", x->file, x->errors,
                x->errors == 1 ? "" : "s");
}

static int read_all(admin_ctx *c, const char *file, char **buf, apr_size_t *len)
{
    FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
    apr_size_t cap = READ_CHUNK, n = 0, got;
    char *b;

    if (!f) {
        return fail("cannot open %s: %s", file, strerror(errno));
    }
    b = malloc(cap + 1);
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *more = realloc(b, cap * 2 + 1);

            if (!more) {
                free(b);
                b = NULL;
                break;
            }
            b = more;
            cap *= 2;
        }
    }
    if (!b || ferror(f)) {
        free(b);
        if (f != stdin) {
            fclose(f);
        }
        return fail("cannot read %s: %s", file, b ? strerror(errno) : "out of memory");
    }
    if (f != stdin) {
        fclose(f);
    }
    b[n] = '\0';
    *buf = apr_pstrmemdup(c->pool, b, n);
    *len = n;
    free(b);
    return 0;
}

static apr_status_t put_json(void *obj)
{
    json_object_put(obj);
    return APR_SUCCESS;
}

static void add_record(import_ctx *x, int line, json_object *obj)
{
    record *r = apr_array_push(x->records);

    apr_pool_cleanup_register(x->c->pool, obj, put_json, apr_pool_cleanup_null);
    r->line = line;
    r->obj = obj;
}

static int blank(const char *s, apr_size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        n--;
    }
    return n == 0;
}

/* Members other than the fields (and the id export writes) are typos that
 * would silently leave a field at its default: refused. */
static void unknown_members(import_ctx *x, int line, json_object *obj)
{
    json_object_object_foreach(obj, key, val) {
        (void)val;
        if (devplat_project_field_of(key) < 0 && strcmp(key, "id")) {
            report(x, line, "unknown field '%s' (the fields are name, status, "
                   "purchase_budget, introduction, domain, research_direction, level, "
                   "delivery_at; id is ignored)", key);
        }
    }
}

static void parse_jsonl(import_ctx *x, const char *buf, apr_size_t len)
{
    apr_size_t pos = 0;
    int line = 0;

    while (pos < len) {
        const char *s = buf + pos, *nl = memchr(s, '\n', len - pos), *nul_field;
        apr_size_t n = nl ? (apr_size_t)(nl - s) : len - pos;
        devplat_json_status st;
        json_object *obj;

        pos += n + (nl != NULL);
        line++;
        if (n > 0 && s[n - 1] == '\r') {
            n--;
        }
        if (blank(s, n)) {
            continue;
        }
        obj = devplat_json_parse_object(s, n, JSON_DEPTH, &st, &nul_field);
        switch (st) {
        case DEVPLAT_JSON_OK:
            break;
        case DEVPLAT_JSON_NUL:
            if (nul_field) {
                break;          /* the field's rule names it */
            }
            report(x, line, "%s", "a member name holds a NUL character");
            json_object_put(obj);
            continue;
        case DEVPLAT_JSON_BAD_UTF8:
            report(x, line, "%s", "not valid UTF-8");
            continue;
        case DEVPLAT_JSON_NOT_OBJECT:
            report(x, line, "%s", "not a JSON object (one project a line)");
            continue;
        default:
            report(x, line, "%s", "not valid JSON (RFC 8259), or nested too deep");
            continue;
        }
        unknown_members(x, line, obj);
        add_record(x, line, obj);
    }
}

/* One CSV record (RFC 4180; LF, CRLF or CR line ends) from *pos into
 * cells: 1, 0 at the end of the input, -1 after reporting an error (the
 * rest of the file cannot be read then). *line counts the lines passed. */
static int csv_record(import_ctx *x, const char *buf, apr_size_t len, apr_size_t *pos,
                      int *line, apr_array_header_t *cells)
{
    apr_size_t i = *pos;
    int start = *line;

    if (i >= len) {
        return 0;
    }
    apr_array_clear(cells);
    for (;;) {
        cell *c = apr_array_push(cells);

        if (i < len && buf[i] == '"') {
            apr_size_t from = ++i, n = 0;
            char *out;

            /* the closing quote: one not followed by another */
            while (i < len && !(buf[i] == '"' && (i + 1 >= len || buf[i + 1] != '"'))) {
                if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
                    (*line)++;
                }
                i += buf[i] == '"' ? 2 : 1;
            }
            if (i >= len) {
                report(x, start, "%s", "a quoted field that never ends");
                return -1;
            }
            out = apr_palloc(x->c->pool, i - from + 1);
            for (; from < i; from++) {
                out[n++] = buf[from];
                from += buf[from] == '"';       /* "" is one quote */
            }
            out[n] = '\0';
            c->s = out;
            c->n = n;
            i++;
            if (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                report(x, *line, "%s", "a closing quote must end its field (a comma or "
                       "the line's end must follow it)");
                return -1;
            }
        }
        else {
            apr_size_t from = i;

            while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') {
                if (buf[i] == '"') {
                    report(x, *line, "%s", "a quote inside an unquoted field (quote the "
                           "whole field and double the quote: \"say \"\"hi\"\"\")");
                    return -1;
                }
                i++;
            }
            c->s = apr_pstrmemdup(x->c->pool, buf + from, i - from);
            c->n = i - from;
        }
        if (i < len && buf[i] == ',') {
            i++;
            continue;
        }
        if (i < len && buf[i] == '\r') {
            i++;
        }
        if (i < len && buf[i] == '\n') {
            i++;
        }
        (*line)++;
        *pos = i;
        return 1;
    }
}

/* The header's columns as fields (-1: id); NULL after reporting. */
static int *csv_header(import_ctx *x, int line, apr_array_header_t *cells)
{
    int *col = apr_pcalloc(x->c->pool, sizeof(int) * cells->nelts);
    int seen[DEVPLAT_PF_COUNT] = {0}, seen_id = 0, i, before = x->errors;

    for (i = 0; i < cells->nelts; i++) {
        const char *name = APR_ARRAY_IDX(cells, i, cell).s;
        int f = devplat_project_field_of(name);

        col[i] = f;
        if (f < 0 && strcmp(name, "id")) {
            report(x, line, "unknown column '%s' (the columns are id, name, status, "
                   "purchase_budget, introduction, domain, research_direction, level, "
                   "delivery_at; id is ignored)", name);
        }
        else if (f < 0 ? seen_id++ : seen[f]++) {
            report(x, line, "the column %s is there twice", name);
        }
    }
    for (i = 0; i < DEVPLAT_PF_COUNT; i++) {
        if (!seen[i] && (i == DEVPLAT_PF_NAME || i == DEVPLAT_PF_DELIVERY_AT)) {
            report(x, line, "the header has no column %s (it is required)",
                   devplat_project_field_names[i]);
        }
    }
    return x->errors == before ? col : NULL;
}

static void parse_csv(import_ctx *x, const char *buf, apr_size_t len)
{
    apr_array_header_t *cells = apr_array_make(x->c->pool, DEVPLAT_PF_COUNT + 1, sizeof(cell));
    apr_size_t pos = 0;
    int line = 1, start, ncols = 0, *col = NULL, got, i;

    while ((start = line, got = csv_record(x, buf, len, &pos, &line, cells)) == 1) {
        const cell *c = (const cell *)cells->elts;
        json_object *obj;

        if (cells->nelts == 1 && c[0].n == 0) {
            continue;           /* an empty line */
        }
        if (!ncols) {
            ncols = cells->nelts;
            if (!(col = csv_header(x, start, cells))) {
                return;
            }
            continue;
        }
        if (cells->nelts != ncols) {
            report(x, start, "%d field%s where the header has %d", cells->nelts,
                   cells->nelts == 1 ? "" : "s", ncols);
            continue;
        }
        /* an empty cell is a field not given: the default, or "required" */
        obj = json_object_new_object();
        for (i = 0; i < ncols; i++) {
            if (col[i] >= 0 && c[i].n > 0) {
                json_object_object_add(obj, devplat_project_field_names[col[i]],
                                       json_object_new_string_len(c[i].s, (int)c[i].n));
            }
        }
        add_record(x, start, obj);
    }
    if (got == 0 && !ncols) {
        report(x, 1, "%s", "no header line (the field names, e.g. name,status,...,delivery_at)");
    }
}

/* ------------------------------------------------------------ checking */

/* Every record against the rules and the levels table (each level asked
 * once). 0 when the database failed (reported). */
static int check_records(import_ctx *x)
{
    apr_hash_t *levels = apr_hash_make(x->c->pool);
    int i, j;

    for (i = 0; i < x->records->nelts; i++) {
        record *r = &APR_ARRAY_IDX(x->records, i, record);
        apr_array_header_t *broken = apr_array_make(x->c->pool, 4,
                                                    sizeof(devplat_project_error));
        const char *level, *known;

        devplat_project_read(x->c->pool, r->obj, 1, &r->in, broken);
        if ((level = r->in.value[DEVPLAT_PF_LEVEL]) != NULL) {
            if (!(known = apr_hash_get(levels, level, APR_HASH_KEY_STRING))) {
                apr_array_header_t *rows;
                const char *args[] = {level};

                if (select_rows(x->c, DEVPLAT_SQL_LEVEL_EXISTS, &rows, 1, args)) {
                    return 0;
                }
                known = rows->nelts ? "1" : "0";
                apr_hash_set(levels, level, APR_HASH_KEY_STRING, known);
            }
            if (*known == '0') {
                *(devplat_project_error *)apr_array_push(broken) = devplat_project_no_level;
            }
        }
        for (j = 0; j < broken->nelts; j++) {
            const devplat_project_error *b = &APR_ARRAY_IDX(broken, j, devplat_project_error);

            report(x, r->line, "%s %s", b->field, b->english);
        }
    }
    return 1;
}

/* ------------------------------------------------------------ writing */

/* Every record and its audit row (actor NULL: devplat-admin), in the open
 * transaction; the line of the first that failed in *line. */
static int write_records(import_ctx *x, const char *now, int *line)
{
    admin_ctx *c = x->c;
    int i;

    for (i = 0; i < x->records->nelts; i++) {
        record *r = &APR_ARRAY_IDX(x->records, i, record);
        const char *const *v = r->in.value;
        const char *args[] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], now, now};
        apr_array_header_t *rows;
        const char *id;

        *line = r->line;
        if (select_rows(c, DEVPLAT_SQL_PROJECT_INSERT, &rows, 10, args) || rows->nelts != 1
            || !(id = APR_ARRAY_IDX(rows, 0, const char **)[0])) {
            return EXIT_REFUSED;
        }
        if (audit(c, NULL, "project_create",
                  devplat_project_audit_detail(c->pool, id,
                                               devplat_project_given(c->pool, &r->in)))) {
            return EXIT_REFUSED;
        }
        {
            /* the search index, as the admin face writes it (NULL: the
             * column's default, "") */
            const char *texts[] = {v[DEVPLAT_PF_NAME], v[DEVPLAT_PF_INTRODUCTION],
                                   v[DEVPLAT_PF_DOMAIN], v[DEVPLAT_PF_RESEARCH_DIRECTION]};

            if (catalogue_index(c, id, texts)) {
                return EXIT_REFUSED;
            }
        }
    }
    return 0;
}

static int project_import(admin_ctx *c, const project_args *a)
{
    import_ctx x = {c, a->file, 0, NULL, NULL};
    apr_dbd_transaction_t *t;
    char *buf = NULL;
    apr_size_t len = 0, skip = 0;
    int line = 0;

    if (!strcmp(a->file, "-")) {
        x.file = "standard input";
    }
    if (read_all(c, a->file, &buf, &len)) {
        return EXIT_REFUSED;
    }
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        skip = 3;               /* the byte order mark spreadsheets write */
    }
    x.records = apr_array_make(c->pool, 64, sizeof(record));
    x.messages = apr_array_make(c->pool, 8, sizeof(line_error));
    if (a->fmt == FORMAT_CSV) {
        parse_csv(&x, buf + skip, len - skip);
    }
    else {
        parse_jsonl(&x, buf + skip, len - skip);
    }
    if (!check_records(&x)) {
        return EXIT_REFUSED;
    }
    if (x.errors) {
        return show_errors(&x);
    }
    if (!catalogue_schema_ready(c) || !(t = begin(c))) {
        return EXIT_REFUSED;
    }
    if (end(c, t, write_records(&x, now_text(c), &line) != 0)) {
        return fail("%s: line %d: the project could not be written; nothing was imported",
                    x.file, line);
    }
    printf("imported %d project%s from %s\n", x.records->nelts,
           x.records->nelts == 1 ? "" : "s", x.file);
    return 0;
}

/* ------------------------------------------------------------ export */

static int is_int_column(int col)
{
    return col == DEVPLAT_XCOL_ID
           || col == DEVPLAT_XCOL_FIELDS + DEVPLAT_PF_PURCHASE_BUDGET
           || col == DEVPLAT_XCOL_FIELDS + DEVPLAT_PF_LEVEL;
}

static const char *column_name(int col)
{
    return col == DEVPLAT_XCOL_ID ? "id"
                                  : devplat_project_field_names[col - DEVPLAT_XCOL_FIELDS];
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break */
static void csv_cell(const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"') {
            putchar('"');
        }
        putchar(*s);
    }
    putchar('"');
}

static void export_csv(const char **r, int header)
{
    int col;

    for (col = 0; col < DEVPLAT_XCOL_FIELDS + DEVPLAT_PF_COUNT; col++) {
        if (col) {
            putchar(',');
        }
        csv_cell(header ? column_name(col) : r[col] ? r[col] : "");
    }
    fputs("\r\n", stdout);
}

static void export_json(const char **r)
{
    json_object *o = json_object_new_object();
    int col;

    for (col = 0; col < DEVPLAT_XCOL_FIELDS + DEVPLAT_PF_COUNT; col++) {
        const char *v = r[col] ? r[col] : "";

        json_object_object_add(o, column_name(col),
                               is_int_column(col) ? json_object_new_int64(apr_atoi64(v))
                                                  : json_object_new_string(v));
    }
    puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN
                                           | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}

static int project_export(admin_ctx *c, const project_args *a)
{
    apr_array_header_t *rows;
    int i;

    if (select_rows(c, DEVPLAT_SQL_PROJECT_EXPORT, &rows, 0, NULL)) {
        return EXIT_REFUSED;
    }
    if (a->fmt == FORMAT_CSV) {
        export_csv(NULL, 1);
    }
    for (i = 0; i < rows->nelts; i++) {
        const char **r = APR_ARRAY_IDX(rows, i, const char **);

        if (a->fmt == FORMAT_CSV) {
            export_csv(r, 0);
        }
        else {
            export_json(r);
        }
    }
    if (fflush(stdout) || ferror(stdout)) {
        return fail("writing the export failed: %s", strerror(errno));
    }
    return 0;
}

int cmd_project(admin_ctx *c, int nargs, const char *const *args)
{
    project_args a;
    int rv = parse_args(nargs, args, &a);

    if (rv) {
        return rv;
    }
    if (a.reindex) {
        return catalogue_reindex(c);
    }
    return a.import ? project_import(c, &a) : project_export(c, &a);
}
