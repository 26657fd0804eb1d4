/* Verification codes as e-mail. The message is 7-bit clean whatever the
 * text (encoded-words in the subject, base64 in the body), so every relay
 * takes it; only an RFC 6531 address (a UTF-8 local part) puts 8-bit bytes
 * in a header, where SMTPUTF8 carries them. */
#include <string.h>

#include <apr_base64.h>
#include <apr_strings.h>

#include "mail.h"
#include "utf8.h"
#include "vocab.h"

#define SUBJECT     "邮箱验证码"
#define WORD_MAX    75              /* RFC 2047: an encoded-word's length */
#define WORD_FRAME  12              /* "=?UTF-8?B?" + "?=" */
#define BODY_LINE   76              /* RFC 2045: base64 line length */

/* A header value from outside must not end the header or the field. */
static int header_safe(const char *s)
{
    const unsigned char *c;

    if (!s || !*s) {
        return 0;
    }
    for (c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x21 || *c == 0x7f || *c == '<' || *c == '>' || *c == '"'
            || *c == '(' || *c == ')' || *c == ',' || *c == ';' || *c == '\\') {
            return 0;
        }
    }
    return devplat_utf8_valid(s, strlen(s));
}

int devplat_mail_address_ok(const char *s)
{
    const char *at;

    if (!header_safe(s)) {
        return 0;
    }
    at = strrchr(s, '@');
    return at && at != s && at[1] && at[1] != '.';
}

static char *b64(apr_pool_t *p, const char *s, apr_size_t n)
{
    char *out = apr_palloc(p, apr_base64_encode_len((int)n));

    apr_base64_encode(out, s, (int)n);
    return out;
}

char *devplat_mail_encode_words(apr_pool_t *p, const char *text)
{
    /* 3 bytes of text make 4 of base64: the most text one word carries */
    const apr_size_t room = (WORD_MAX - WORD_FRAME) / 4 * 3;
    apr_size_t len = strlen(text), at = 0;
    char *out = "";

    while (at < len) {
        apr_size_t n = len - at;

        if (n > room) {
            /* back up to the start of a character */
            n = room;
            while (n > 0 && ((unsigned char)text[at + n] & 0xC0) == 0x80) {
                n--;
            }
        }
        out = apr_pstrcat(p, out, *out ? "\r\n " : "", "=?UTF-8?B?",
                          b64(p, text + at, n), "?=", NULL);
        at += n;
    }
    return out;
}

char *devplat_mail_date(apr_pool_t *p, apr_time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%s, %02d %s %d %02d:%02d:%02d +0000", days[tm.tm_wday],
                        tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                        tm.tm_min, tm.tm_sec);
}

char *devplat_mail_validity(apr_pool_t *p, long ttl)
{
    if (ttl > 0 && ttl % 60 == 0) {
        return apr_psprintf(p, "%ld 分钟", ttl / 60);
    }
    return apr_psprintf(p, "%ld 秒", ttl);
}

/* What the code is for, in the words of the personal centre. */
static const char *purpose_text(const char *purpose)
{
    static const struct {
        const char *purpose, *text;
    } known[] = {
        {DEVPLAT_PURPOSE_BIND_EMAIL, "绑定邮箱"},
        {DEVPLAT_PURPOSE_EMAIL_OLD, "更换绑定邮箱"},
        {DEVPLAT_PURPOSE_MOBILE_EMAIL, "更换绑定手机号"},
    };
    apr_size_t i;

    for (i = 0; purpose && i < sizeof(known) / sizeof(known[0]); i++) {
        if (!strcmp(purpose, known[i].purpose)) {
            return known[i].text;
        }
    }
    return NULL;
}

/* base64 of the body in lines of BODY_LINE characters. */
static char *body_lines(apr_pool_t *p, const char *body)
{
    const char *all = b64(p, body, strlen(body));
    apr_size_t len = strlen(all), at;
    char *out = "";

    for (at = 0; at < len; at += BODY_LINE) {
        out = apr_pstrcat(p, out, apr_pstrmemdup(p, all + at,
                                                 len - at < BODY_LINE ? len - at : BODY_LINE),
                          "\r\n", NULL);
    }
    return out;
}

char *devplat_mail_code_message(apr_pool_t *p, const devplat_mail_code *m)
{
    const char *domain, *what, *body;
    const char *c;

    if (!devplat_mail_address_ok(m->from) || !devplat_mail_address_ok(m->to)
        || !header_safe(m->unique)
        || !m->code || !*m->code || m->ttl <= 0) {
        return NULL;
    }
    for (c = m->code; *c; c++) {
        if (*c < '0' || *c > '9') {
            return NULL;
        }
    }
    domain = strrchr(m->from, '@');
    what = purpose_text(m->purpose);
    body = apr_pstrcat(p, "您好：\r\n\r\n",
                       what ? "您正在" : "", what ? what : "", what ? "，" : "",
                       "您的验证码是：", m->code, "\r\n\r\n",
                       "验证码 ", devplat_mail_validity(p, m->ttl), "内有效，",
                       "请勿告诉他人。如非本人操作，请忽略本邮件。\r\n\r\n",
                       "此邮件由系统自动发送，请勿回复。\r\n", NULL);
    return apr_pstrcat(p,
                       "Date: ", devplat_mail_date(p, m->date), "\r\n",
                       "From: ", m->from, "\r\n",
                       "To: ", m->to, "\r\n",
                       "Subject: ", devplat_mail_encode_words(p, SUBJECT), "\r\n",
                       "Message-ID: <", m->unique, domain, ">\r\n",
                       "MIME-Version: 1.0\r\n",
                       "Content-Type: text/plain; charset=UTF-8\r\n",
                       "Content-Transfer-Encoding: base64\r\n",
                       "Auto-Submitted: auto-generated\r\n",
                       "\r\n",
                       body_lines(p, body), NULL);
}
