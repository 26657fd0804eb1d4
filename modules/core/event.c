/* The payload, the signature and the back-off of account events. */
#include <string.h>

#include <apr_strings.h>
#include <apr_time.h>

#include <openssl/hmac.h>
#include <openssl/evp.h>

#include "event.h"
#include "random.h"

char *devplat_event_id(apr_pool_t *p)
{
    char *h = devplat_random_hex(p, 16);
    static const char variant[] = "89ab";

    if (!h) {
        return NULL;
    }
    /* version 4, variant 10xx: the shape receivers' UUID parsers accept */
    h[12] = '4';
    h[16] = variant[(h[16] >= 'a' ? h[16] - 'a' + 10 : h[16] - '0') & 3];
    return apr_psprintf(p, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

char *devplat_event_time(apr_pool_t *p, apr_int64_t t)
{
    apr_time_exp_t tm;

    if (apr_time_exp_gmt(&tm, apr_time_from_sec(t)) != APR_SUCCESS) {
        return apr_pstrdup(p, "1970-01-01T00:00:00Z");
    }
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *devplat_event_payload(apr_pool_t *p, const char *id, const char *type,
                            apr_int64_t t, apr_int64_t user_id, json_object *data)
{
    json_object *o = json_object_new_object();
    char *text;

    json_object_object_add(o, "id", json_object_new_string(id));
    json_object_object_add(o, "type", json_object_new_string(type));
    json_object_object_add(o, "time", json_object_new_string(devplat_event_time(p, t)));
    json_object_object_add(o, "user_id", json_object_new_int64(user_id));
    json_object_object_add(o, "data", data ? data : json_object_new_object());
    text = apr_pstrdup(p, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN
                                                            | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
    return text;
}

char *devplat_event_signature(apr_pool_t *p, const unsigned char *key, apr_size_t keylen,
                              apr_int64_t t, const char *body, apr_size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *stamp = apr_psprintf(p, "%" APR_INT64_T_FMT, t);
    apr_size_t slen = strlen(stamp);
    unsigned char mac[EVP_MAX_MD_SIZE], empty = 0;
    unsigned int maclen = 0, i;
    char out[2 * EVP_MAX_MD_SIZE + 1];
    /* the signed text is "<t>.<body>": the time cannot be replayed apart */
    char *text = apr_palloc(p, slen + 1 + len + 1);

    memcpy(text, stamp, slen);
    text[slen] = '.';
    memcpy(text + slen + 1, body, len);
    if (!HMAC(EVP_sha256(), key ? key : &empty, (int)keylen, (unsigned char *)text,
              slen + 1 + len, mac, &maclen)) {
        return NULL;
    }
    for (i = 0; i < maclen; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 0x0f];
    }
    out[2 * maclen] = '\0';
    return apr_psprintf(p, "t=%s,v1=%s", stamp, out);
}

apr_int64_t devplat_event_backoff(int attempts)
{
    if (attempts < 1) {
        return 1;
    }
    if (attempts > 12) {        /* 2^12 > the cap already */
        return DEVPLAT_EVENT_BACKOFF_MAX;
    }
    return (apr_int64_t)1 << (attempts - 1) < DEVPLAT_EVENT_BACKOFF_MAX
           ? (apr_int64_t)1 << (attempts - 1) : DEVPLAT_EVENT_BACKOFF_MAX;
}
