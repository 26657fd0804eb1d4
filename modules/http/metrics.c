/* The counters of metrics.h in one shared memory segment (the way httpd's
 * scoreboard lives across graceful restarts: made once by the parent,
 * retained, inherited by every generation of children).
 *
 * The segment is a header and an array of 64-bit counters. Where each
 * metric sits is computed in post_config from the route tables (the
 * layout); its signature, a hash of what the layout depends on, is kept in
 * the header: a restart keeps the segment only when the signature and the
 * size are the same, so a counter is never read under another metric's
 * name after an upgrade. */
#include "metrics.h"
#include "config.h"
#include "apr_atomic.h"
#include "apr_shm.h"

#define METRICS_KEY     "devplat-metrics"
#define METRICS_MAGIC   APR_UINT64_C(0x646576706c6d7401)    /* "devplmt" 1 */

/* Statuses are counted by their value: httpd only sends 100..599. */
#define STATUS_MIN      100
#define STATUS_SPAN     500

#define FACES           3       /* developer, admin, mobile (devplat_face - 1) */
#define CHANNELS        2       /* sms, email */

/* Bucket bounds in microseconds (the le labels are these in seconds). */
static const apr_uint64_t latency_le[] = {
    5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
    5000000, 10000000
};
static const apr_uint64_t bcrypt_le[] = {
    1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
    2500000
};
#define LATENCY_BUCKETS (sizeof(latency_le) / sizeof(latency_le[0]))
#define BCRYPT_BUCKETS  (sizeof(bcrypt_le) / sizeof(bcrypt_le[0]))

/* A histogram: one slot per bucket (not cumulative; the last one is
 * +Inf), then the sum in microseconds. The count is the buckets' total, so
 * a scrape never sees a count that disagrees with the +Inf bucket. */
#define HIST_SLOTS(n)   ((n) + 2)

static const char *const login_outcomes[DEVPLAT_LOGIN_OUTCOMES] = {
    "ok", "failed", "throttled", "error"
};
static const char *const bcrypt_ops[DEVPLAT_BCRYPT_OPS] = {"hash", "verify"};
static const char *const db_error_kinds[DEVPLAT_DB_ERR_KINDS] = {"statement", "connection"};
static const char *const channels[CHANNELS] = {"sms", "email"};

typedef struct {
    apr_uint64_t magic;
    apr_uint64_t signature;
    apr_uint64_t started;       /* Unix seconds */
    apr_uint64_t slots;         /* counters that follow */
} metrics_header;

/* Offsets (in counters) of each metric, and the route tables they follow. */
typedef struct {
    const devplat_route *routes[FACES];
    apr_size_t nroutes[FACES];      /* slot nroutes: no route matched */
    apr_size_t requests[FACES];     /* [route slot][status] */
    apr_size_t latency[FACES];      /* a histogram */
    apr_size_t logins;              /* [face][outcome] */
    apr_size_t codes;               /* [channel][0 sent, 1 failed] */
    apr_size_t bcrypt;              /* [op] histograms */
    apr_size_t db_errors;           /* [kind] */
    apr_size_t db_reconnects;
    apr_size_t uploads;             /* [face] */
    apr_size_t upload_bytes;        /* [face] */
    apr_size_t slots;
    apr_uint64_t signature;
} metrics_layout;

/* What the parent keeps across restarts (ap_retained_data). */
typedef struct {
    apr_shm_t *shm;
} metrics_retained;

static metrics_layout layout;
static metrics_header *header;              /* NULL: no segment */
static volatile apr_uint64_t *counters;

/* ---------------------------------------------------------------- layout */

static apr_uint64_t fnv(apr_uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= APR_UINT64_C(0x100000001b3);
    }
    return h ^ 0xff;        /* a separator: "ab","c" differs from "a","bc" */
}

static void compute_layout(void)
{
    apr_uint64_t h = APR_UINT64_C(0xcbf29ce484222325);
    apr_size_t at = 0, f;
    char numbers[64];

    h = fnv(h, METRICS_KEY " layout 1");
    apr_snprintf(numbers, sizeof(numbers), "%d %d %d %d", STATUS_SPAN,
                 (int)LATENCY_BUCKETS, (int)BCRYPT_BUCKETS, (int)DEVPLAT_LOGIN_OUTCOMES);
    h = fnv(h, numbers);
    for (f = 0; f < FACES; f++) {
        const devplat_route *rt = devplat_routes_for((int)f + DEVPLAT_FACE_DEVELOPER);
        apr_size_t n = 0;

        layout.routes[f] = rt;
        for (; rt && rt->method; rt++, n++) {
            h = fnv(fnv(h, rt->method), rt->path);
        }
        layout.nroutes[f] = n;
        h = fnv(h, "/");
        layout.requests[f] = at;
        at += (n + 1) * STATUS_SPAN;
        layout.latency[f] = at;
        at += HIST_SLOTS(LATENCY_BUCKETS);
    }
    layout.logins = at;
    at += FACES * DEVPLAT_LOGIN_OUTCOMES;
    layout.codes = at;
    at += CHANNELS * 2;
    layout.bcrypt = at;
    at += DEVPLAT_BCRYPT_OPS * HIST_SLOTS(BCRYPT_BUCKETS);
    layout.db_errors = at;
    at += DEVPLAT_DB_ERR_KINDS;
    layout.db_reconnects = at;
    at += 1;
    layout.uploads = at;
    at += FACES;
    layout.upload_bytes = at;
    at += FACES;
    layout.slots = at;
    layout.signature = h;
}

/* ---------------------------------------------------------------- segment */

int devplat_metrics_post_config(apr_pool_t *pconf, server_rec *s)
{
    metrics_retained *kept = ap_retained_data_get(METRICS_KEY);
    apr_size_t size;
    apr_status_t rv;
    metrics_header *h;

    compute_layout();
    size = sizeof(metrics_header) + layout.slots * sizeof(apr_uint64_t);
    if (!kept) {
        kept = ap_retained_data_create(METRICS_KEY, sizeof(*kept));
    }
    if (kept->shm) {
        h = apr_shm_baseaddr_get(kept->shm);
        if (apr_shm_size_get(kept->shm) >= size && h->magic == METRICS_MAGIC
            && h->signature == layout.signature && h->slots == layout.slots) {
            header = h;
            counters = (volatile apr_uint64_t *)(h + 1);
            return OK;
        }
        /* children of the old generation keep their own mapping */
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s, "devplat-metrics: the "
                     "counters' layout changed (another route table): counting anew");
        apr_shm_destroy(kept->shm);
        kept->shm = NULL;
    }
    header = NULL;
    counters = NULL;
    /* anonymous: inherited by fork, nothing on disk; in the process pool,
     * which outlives every restart (pconf does not) */
    rv = apr_shm_create(&kept->shm, size, NULL, s->process->pool);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "devplat-metrics: cannot make "
                     "the shared memory segment of %" APR_SIZE_T_FMT " bytes", size);
        kept->shm = NULL;
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    h = apr_shm_baseaddr_get(kept->shm);
    memset(h, 0, size);
    h->magic = METRICS_MAGIC;
    h->signature = layout.signature;
    h->slots = layout.slots;
    h->started = (apr_uint64_t)apr_time_sec(apr_time_now());
    header = h;
    counters = (volatile apr_uint64_t *)(h + 1);
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "devplat-metrics: %" APR_SIZE_T_FMT
                 " counters in a shared memory segment of %" APR_SIZE_T_FMT " bytes",
                 layout.slots, size);
    return OK;
}

apr_int64_t devplat_metrics_started(void)
{
    return header ? (apr_int64_t)header->started : 0;
}

/* ---------------------------------------------------------------- counting */

static void add(apr_size_t slot, apr_uint64_t v)
{
    if (counters && slot < layout.slots) {
        apr_atomic_add64(&counters[slot], v);
    }
}

static void observe(apr_size_t at, const apr_uint64_t *le, apr_size_t n, apr_uint64_t us)
{
    apr_size_t b = 0;

    while (b < n && us > le[b]) {
        b++;
    }
    add(at + b, 1);             /* b == n: +Inf */
    add(at + n + 1, us);
}

static int face_index(const devplat_req *req)
{
    int f = req->dconf ? req->dconf->face - DEVPLAT_FACE_DEVELOPER : -1;

    return f >= 0 && f < FACES ? f : -1;
}

typedef struct {
    int face;
    apr_size_t route;           /* slot: nroutes[face] for none */
} route_mark;

void devplat_metrics_route(devplat_req *req, const devplat_route *rt)
{
    route_mark *m;
    int f = face_index(req);

    if (!counters || f < 0) {
        return;
    }
    m = apr_palloc(req->r->pool, sizeof(*m));
    m->face = f;
    m->route = rt ? (apr_size_t)(rt - layout.routes[f]) : layout.nroutes[f];
    if (m->route > layout.nroutes[f]) {
        m->route = layout.nroutes[f];
    }
    apr_pool_userdata_setn(m, METRICS_KEY, NULL, req->r->pool);
}

int devplat_metrics_log_transaction(request_rec *r)
{
    route_mark *m = NULL;
    request_rec *last = r;
    apr_time_t took;
    int status;

    if (!counters || apr_pool_userdata_get((void **)&m, METRICS_KEY, r->pool) != APR_SUCCESS
        || !m) {
        return DECLINED;
    }
    while (last->next) {
        last = last->next;      /* the final status, as %>s logs it */
    }
    status = last->status;
    if (status < STATUS_MIN || status >= STATUS_MIN + STATUS_SPAN) {
        status = HTTP_INTERNAL_SERVER_ERROR;
    }
    add(layout.requests[m->face] + m->route * STATUS_SPAN + (status - STATUS_MIN), 1);
    took = apr_time_now() - r->request_time;
    observe(layout.latency[m->face], latency_le, LATENCY_BUCKETS,
            took > 0 ? (apr_uint64_t)took : 0);
    return DECLINED;
}

void devplat_metrics_login(devplat_req *req, devplat_login_outcome outcome)
{
    int f = face_index(req);

    if (f >= 0 && outcome >= 0 && outcome < DEVPLAT_LOGIN_OUTCOMES) {
        add(layout.logins + f * DEVPLAT_LOGIN_OUTCOMES + outcome, 1);
    }
}

void devplat_metrics_code(const char *channel, int delivered)
{
    int c;

    for (c = 0; c < CHANNELS; c++) {
        if (channel && !strcmp(channel, channels[c])) {
            add(layout.codes + c * 2 + (delivered ? 0 : 1), 1);
        }
    }
}

void devplat_metrics_bcrypt(devplat_bcrypt_op op, apr_time_t started)
{
    apr_time_t took = apr_time_now() - started;

    if (op >= 0 && op < DEVPLAT_BCRYPT_OPS) {
        observe(layout.bcrypt + op * HIST_SLOTS(BCRYPT_BUCKETS), bcrypt_le,
                BCRYPT_BUCKETS, took > 0 ? (apr_uint64_t)took : 0);
    }
}

void devplat_metrics_db_error(devplat_db_error_kind kind)
{
    if (kind >= 0 && kind < DEVPLAT_DB_ERR_KINDS) {
        add(layout.db_errors + kind, 1);
    }
}

void devplat_metrics_db_reconnect(void)
{
    add(layout.db_reconnects, 1);
}

void devplat_metrics_upload(devplat_req *req, apr_off_t bytes)
{
    int f = face_index(req);

    if (f >= 0) {
        add(layout.uploads + f, 1);
        add(layout.upload_bytes + f, bytes > 0 ? (apr_uint64_t)bytes : 0);
    }
}

/* ---------------------------------------------------------------- exposition */

static apr_uint64_t get(apr_size_t slot)
{
    return apr_atomic_read64(&counters[slot]);
}

static void family(request_rec *r, const char *name, const char *type, const char *help)
{
    ap_rprintf(r, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value in the exposition format: \, " and newline escaped. */
static const char *label(request_rec *r, const char *v)
{
    if (!strpbrk(v, "\\\"\n")) {
        return v;
    }
    {
        char *out = apr_palloc(r->pool, strlen(v) * 2 + 1), *o = out;

        for (; *v; v++) {
            if (*v == '\\' || *v == '"') {
                *o++ = '\\';
                *o++ = *v;
            }
            else if (*v == '\n') {
                *o++ = '\\';
                *o++ = 'n';
            }
            else {
                *o++ = *v;
            }
        }
        *o = '\0';
        return out;
    }
}

static const char *face_label(int f)
{
    return devplat_face_name(f + DEVPLAT_FACE_DEVELOPER);
}

static void seconds(request_rec *r, apr_uint64_t us)
{
    ap_rprintf(r, "%" APR_UINT64_T_FMT ".%06" APR_UINT64_T_FMT, us / 1000000, us % 1000000);
}

/* One histogram's series; labels are the ones before le, each followed by
 * a comma (`face="admin",`). */
static void histogram(request_rec *r, const char *name, const char *labels,
                      apr_size_t at, const apr_uint64_t *le, apr_size_t n)
{
    apr_uint64_t cumulative = 0;
    apr_size_t b;

    for (b = 0; b < n; b++) {
        cumulative += get(at + b);
        ap_rprintf(r, "%s_bucket{%sle=\"", name, labels);
        seconds(r, le[b]);
        ap_rprintf(r, "\"} %" APR_UINT64_T_FMT "\n", cumulative);
    }
    cumulative += get(at + n);
    ap_rprintf(r, "%s_bucket{%sle=\"+Inf\"} %" APR_UINT64_T_FMT "\n", name, labels,
               cumulative);
    ap_rprintf(r, "%s_sum{%.*s} ", name, (int)strlen(labels) - 1, labels);
    seconds(r, get(at + n + 1));
    ap_rprintf(r, "\n%s_count{%.*s} %" APR_UINT64_T_FMT "\n", name,
               (int)strlen(labels) - 1, labels, cumulative);
}

static void write_requests(request_rec *r)
{
    int f;

    family(r, "devplat_http_requests_total", "counter",
           "API requests answered, by face, route pattern, method and HTTP status "
           "(route \"(none)\": no route matched, the router's 404 or 405).");
    for (f = 0; f < FACES; f++) {
        apr_size_t rt, st;

        for (rt = 0; rt <= layout.nroutes[f]; rt++) {
            const char *method = rt < layout.nroutes[f] ? layout.routes[f][rt].method : "";
            const char *path = rt < layout.nroutes[f] ? label(r, layout.routes[f][rt].path)
                                                      : "(none)";

            for (st = 0; st < STATUS_SPAN; st++) {
                apr_uint64_t v = get(layout.requests[f] + rt * STATUS_SPAN + st);

                if (v) {
                    ap_rprintf(r, "devplat_http_requests_total{face=\"%s\",route=\"%s\","
                               "method=\"%s\",status=\"%d\"} %" APR_UINT64_T_FMT "\n",
                               face_label(f), path, method, (int)st + STATUS_MIN, v);
                }
            }
        }
    }
    family(r, "devplat_http_request_duration_seconds", "histogram",
           "Time from the request's arrival to the end of its answer, by face.");
    for (f = 0; f < FACES; f++) {
        histogram(r, "devplat_http_request_duration_seconds",
                  apr_psprintf(r->pool, "face=\"%s\",", face_label(f)),
                  layout.latency[f], latency_le, LATENCY_BUCKETS);
    }
}

static void write_accounts(request_rec *r)
{
    int f, o, c;

    family(r, "devplat_logins_total", "counter",
           "Login attempts by face and outcome: ok, failed (wrong name or password, "
           "frozen account), throttled (locked by DevplatLoginThrottle), error "
           "(the server could not decide).");
    for (f = 0; f < FACES; f++) {
        for (o = 0; o < DEVPLAT_LOGIN_OUTCOMES; o++) {
            ap_rprintf(r, "devplat_logins_total{face=\"%s\",outcome=\"%s\"} %"
                       APR_UINT64_T_FMT "\n", face_label(f), login_outcomes[o],
                       get(layout.logins + f * DEVPLAT_LOGIN_OUTCOMES + o));
        }
    }
    family(r, "devplat_codes_sent_total", "counter",
           "Verification codes handed to their channel's delivery, by channel.");
    for (c = 0; c < CHANNELS; c++) {
        ap_rprintf(r, "devplat_codes_sent_total{channel=\"%s\"} %" APR_UINT64_T_FMT "\n",
                   channels[c], get(layout.codes + c * 2));
    }
    family(r, "devplat_codes_failed_total", "counter",
           "Verification codes whose delivery failed (answered an error), by channel.");
    for (c = 0; c < CHANNELS; c++) {
        ap_rprintf(r, "devplat_codes_failed_total{channel=\"%s\"} %" APR_UINT64_T_FMT "\n",
                   channels[c], get(layout.codes + c * 2 + 1));
    }
    family(r, "devplat_bcrypt_duration_seconds", "histogram",
           "Time of one bcrypt computation: hash (a new password) or verify (a login, "
           "a password check).");
    for (o = 0; o < DEVPLAT_BCRYPT_OPS; o++) {
        histogram(r, "devplat_bcrypt_duration_seconds",
                  apr_psprintf(r->pool, "op=\"%s\",", bcrypt_ops[o]),
                  layout.bcrypt + o * HIST_SLOTS(BCRYPT_BUCKETS), bcrypt_le, BCRYPT_BUCKETS);
    }
}

static void write_storage(request_rec *r)
{
    int f, k;

    family(r, "devplat_db_errors_total", "counter",
           "Database failures: statement (a statement, BEGIN or COMMIT failed) or "
           "connection (no connection could be had).");
    for (k = 0; k < DEVPLAT_DB_ERR_KINDS; k++) {
        ap_rprintf(r, "devplat_db_errors_total{kind=\"%s\"} %" APR_UINT64_T_FMT "\n",
                   db_error_kinds[k], get(layout.db_errors + k));
    }
    family(r, "devplat_db_reconnects_total", "counter",
           "Database connections made again: a lost connection re-made with its "
           "statements prepared again, or the end of a child's outage.");
    ap_rprintf(r, "devplat_db_reconnects_total %" APR_UINT64_T_FMT "\n",
               get(layout.db_reconnects));
    family(r, "devplat_uploads_total", "counter", "Files stored, by face.");
    for (f = 0; f < FACES; f++) {
        ap_rprintf(r, "devplat_uploads_total{face=\"%s\"} %" APR_UINT64_T_FMT "\n",
                   face_label(f), get(layout.uploads + f));
    }
    family(r, "devplat_upload_bytes_total", "counter", "Bytes of the files stored, by face.");
    for (f = 0; f < FACES; f++) {
        ap_rprintf(r, "devplat_upload_bytes_total{face=\"%s\"} %" APR_UINT64_T_FMT "\n",
                   face_label(f), get(layout.upload_bytes + f));
    }
}

void devplat_metrics_write(request_rec *r)
{
    if (!counters) {
        return;
    }
    write_requests(r);
    write_accounts(r);
    write_storage(r);
    family(r, "devplat_metrics_start_time_seconds", "gauge",
           "When these counters began (Unix time); a graceful restart keeps them.");
    ap_rprintf(r, "devplat_metrics_start_time_seconds %" APR_UINT64_T_FMT "\n",
               header->started);
}
