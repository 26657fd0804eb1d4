/* libcurl delivery. One easy handle per delivery: codes are rare next to
 * the requests that read tokens, and a handle per call keeps threads apart. */
#include "notify.h"
#include "config.h"
#include "reply.h"
#include "smtp.h"

#include <curl/curl.h>

static apr_status_t curl_cleanup(void *unused)
{
    curl_global_cleanup();
    return APR_SUCCESS;
}

void devplat_notify_init(apr_pool_t *pconf)
{
    /* curl_global_init is reference counted; pair it with pconf's life */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    apr_pool_cleanup_register(pconf, NULL, curl_cleanup, apr_pool_cleanup_null);
}

/* The webhook's answer is not needed; drop it. */
static size_t discard(char *ptr, size_t size, size_t nmemb, void *unused)
{
    return size * nmemb;
}

apr_status_t devplat_notify_code(devplat_req *req, const char *channel,
                                 const char *to, const char *code,
                                 const char *purpose)
{
    request_rec *r = req->r;
    json_object *msg;
    struct curl_slist *headers = NULL;
    CURL *curl;
    CURLcode cc;
    long status = 0;
    apr_status_t rv = APR_SUCCESS;

    /* e-mail goes to the SMTP server when there is one; SMS never does */
    if (req->sconf->smtp_server && !strcmp(channel, "email")) {
        return devplat_smtp_send_code(req, to, code, purpose);
    }
    if (!req->sconf->notify_webhook) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "no DevplatNotifyWebhook: %s code %s for %s (%s) not delivered",
                      channel, code, to, purpose);
        return APR_SUCCESS;
    }
    msg = devplat_json_object(r);
    json_object_object_add(msg, "channel", json_object_new_string(channel));
    json_object_object_add(msg, "to", json_object_new_string(to));
    json_object_object_add(msg, "code", json_object_new_string(code));
    json_object_object_add(msg, "purpose", json_object_new_string(purpose));

    curl = curl_easy_init();
    if (!curl) {
        return APR_ENOMEM;
    }
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, req->sconf->notify_webhook);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS,
                     json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);   /* threaded MPMs */
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)req->sconf->notify_timeout);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)req->sconf->notify_timeout);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "mod_devplat");

    cc = curl_easy_perform(curl);
    if (cc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    }
    if (cc != CURLE_OK || status < 200 || status > 299) {
        /* the code itself never goes to the log */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "code delivery to the webhook failed: %s (HTTP %ld)",
                      cc != CURLE_OK ? curl_easy_strerror(cc) : "bad status", status);
        rv = APR_EGENERAL;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rv;
}
