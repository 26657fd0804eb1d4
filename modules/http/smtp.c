/* One SMTP transaction per code: connect, STARTTLS where offered (always
 * for smtps://, and required whenever credentials are configured, so a
 * password never crosses the network in clear), AUTH, MAIL, RCPT, DATA.
 * The message itself comes from modules/core/mail.c. */
#include "smtp.h"
#include "config.h"
#include "mail.h"
#include "random.h"

#include <curl/curl.h>

typedef struct {
    const char *at;
    apr_size_t left;
} upload;

static size_t read_message(char *buf, size_t size, size_t nitems, void *baton)
{
    upload *u = baton;
    size_t n = size * nitems;

    if (n > u->left) {
        n = u->left;
    }
    memcpy(buf, u->at, n);
    u->at += n;
    u->left -= n;
    return n;
}

apr_status_t devplat_smtp_send_code(devplat_req *req, const char *to, const char *code,
                                    const char *purpose)
{
    request_rec *r = req->r;
    const devplat_srv_cfg *c = req->sconf;
    devplat_mail_code m;
    struct curl_slist *rcpt = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    const char *msg;
    upload u;
    CURL *curl;
    CURLcode cc;

    m.from = c->smtp_from;
    m.to = to;
    m.code = code;
    m.purpose = purpose;
    m.ttl = (long)c->code_ttl;
    m.date = apr_time_now();
    m.unique = devplat_random_hex(r->pool, 16);
    if (!m.unique || !(msg = devplat_mail_code_message(r->pool, &m))) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "e-mail code for %s not sent: no message can carry that address", to);
        return APR_EGENERAL;
    }
    u.at = msg;
    u.left = strlen(msg);

    curl = curl_easy_init();
    if (!curl) {
        return APR_ENOMEM;
    }
    rcpt = curl_slist_append(rcpt, apr_pstrcat(r->pool, "<", to, ">", NULL));
    curl_easy_setopt(curl, CURLOPT_URL, c->smtp_server);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     c->smtp_tls || c->smtp_user ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    if (c->smtp_user) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, c->smtp_user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, c->smtp_password);
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, apr_pstrcat(r->pool, "<", c->smtp_from, ">",
                                                          NULL));
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(curl, CURLOPT_READDATA, &u);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);   /* threaded MPMs */
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)c->notify_timeout);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)c->notify_timeout);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);

    cc = curl_easy_perform(curl);
    if (cc != CURLE_OK) {
        /* the server's refusal, never the code or the password */
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "e-mail code to %s through %s failed: %s", to, c->smtp_server,
                      *errbuf ? errbuf : curl_easy_strerror(cc));
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    return cc == CURLE_OK ? APR_SUCCESS : APR_EGENERAL;
}
