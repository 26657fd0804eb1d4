/* 验证码相关: image captchas for the console's login. A captcha is a random
 * id and a 5-character text; the database keeps only an HMAC of the text
 * bound to the id, for 300 seconds, and its first use deletes it. */
#include "admin.h"
#include "admin_sql.h"
#include "config.h"
#include "db.h"
#include "rate_limit.h"
#include "reply.h"
#include "captcha.h"
#include "otp.h"
#include "random.h"

#include "apr_base64.h"

#define CAPTCHA_TTL      300
#define CAPTCHA_ID_BYTES 16
#define CAPTCHA_PURPOSE  "captcha"
#define PNG_DATA_URL     "data:image/png;base64,"

static const char *digest(devplat_req *req, const char *id, const char *text)
{
    return devplat_otp_digest(req->r->pool, req->sconf->code_key,
                              sizeof(req->sconf->code_key), CAPTCHA_PURPOSE, id, text);
}

int devplat_admin_captcha(devplat_req *req)
{
    request_rec *r = req->r;
    const char *text, *id, *ip = r->useragent_ip ? r->useragent_ip : "";
    unsigned char *png;
    apr_size_t len = 0;
    char *picture;
    json_object *data;
    int rc;

    /* each picture is a row for 300 s: bounded per client address, and
     * the expired ones go with the periodic purge */
    if (DEVPLAT_DONE(rc = devplat_rate_limit(req, DEVPLAT_LIMIT_NONE,
                                             DEVPLAT_LIMIT_CAPTCHA_ADDRESS))) {
        return rc;
    }
    text = devplat_captcha_text(r->pool);
    id = devplat_random_hex(r->pool, CAPTCHA_ID_BYTES);
    png = text ? devplat_captcha_png(r->pool, text, &len) : NULL;
    if (!id || !png) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "drawing a captcha failed");
        return devplat_reply_error(req, HTTP_INTERNAL_SERVER_ERROR, DEVPLAT_MSG_SERVER);
    }
    if (devplat_db_exec(req, DPA_CAPTCHA_INSERT, NULL, 5, id, digest(req, id, text),
                        devplat_i64(req, req->now),
                        devplat_i64(req, req->now + CAPTCHA_TTL), ip) != APR_SUCCESS) {
        return devplat_reply_error(req, HTTP_SERVICE_UNAVAILABLE, DEVPLAT_MSG_UNAVAILABLE);
    }

    picture = apr_palloc(r->pool, sizeof(PNG_DATA_URL) - 1 + apr_base64_encode_len((int)len));
    memcpy(picture, PNG_DATA_URL, sizeof(PNG_DATA_URL) - 1);
    apr_base64_encode(picture + sizeof(PNG_DATA_URL) - 1, (const char *)png, (int)len);

    data = json_object_new_object();
    json_object_object_add(data, "id", json_object_new_string(id));
    json_object_object_add(data, "picture", json_object_new_string(picture));
    if (req->sconf->expose_codes) {
        json_object_object_add(data, "code", json_object_new_string(text));
    }
    return devplat_reply_ok(req, data);
}

/* Ids are what devplat_random_hex() makes: anything else was never issued. */
static int is_captcha_id(const char *id)
{
    apr_size_t n;

    for (n = 0; id && id[n]; n++) {
        if (!((id[n] >= '0' && id[n] <= '9') || (id[n] >= 'a' && id[n] <= 'f'))) {
            return 0;
        }
    }
    return n == 2 * CAPTCHA_ID_BYTES;
}

devplat_captcha_result devplat_admin_captcha_use(devplat_req *req, const char *id,
                                                 const char *code)
{
    devplat_rows *rows;
    const char *stored;
    int spent = 0;

    if (!is_captcha_id(id)) {
        return DEVPLAT_CAPTCHA_GONE;
    }
    if (devplat_db_select(req, DPA_CAPTCHA_GET, &rows, 1, id) != APR_SUCCESS) {
        return DEVPLAT_CAPTCHA_ERROR;
    }
    if (rows->nrows != 1) {
        return DEVPLAT_CAPTCHA_GONE;
    }
    stored = devplat_cell(rows, 0, 0);
    /* spent first, right or wrong: of concurrent uses only one deletes it */
    if (devplat_db_exec(req, DPA_CAPTCHA_SPEND, &spent, 1, id) != APR_SUCCESS) {
        return DEVPLAT_CAPTCHA_ERROR;
    }
    if (spent != 1 || devplat_atoi64(devplat_cell(rows, 0, 1)) <= req->now) {
        return DEVPLAT_CAPTCHA_GONE;
    }
    return devplat_str_equal_ct(stored, digest(req, id, code)) ? DEVPLAT_CAPTCHA_RIGHT
                                                                : DEVPLAT_CAPTCHA_WRONG;
}
