/* The e-mail that carries a verification code (RFC 5322, MIME): built
 * here, sent by modules/http/smtp.c. */
#ifndef DEVPLAT_MAIL_H
#define DEVPLAT_MAIL_H

#include <apr_pools.h>
#include <apr_time.h>

typedef struct {
    const char *from;       /* envelope and header sender (addr-spec) */
    const char *to;         /* the one recipient (addr-spec) */
    const char *code;       /* the digits */
    const char *purpose;    /* a DEVPLAT_PURPOSE_* of vocab.h, or NULL */
    long ttl;               /* seconds the code stays valid */
    apr_time_t date;        /* the Date: header */
    const char *unique;     /* left part of the Message-ID (random hex) */
} devplat_mail_code;

/* 1 when s can stand in a From or To header and an SMTP envelope as it
 * is: an addr-spec with a domain, valid UTF-8, no space, control or
 * special character (so nothing can inject a header). */
int devplat_mail_address_ok(const char *s);

/* The whole message: headers (Date, From, To, Subject as an RFC 2047
 * encoded-word, Message-ID, MIME) and a base64 UTF-8 text body, every line
 * ending in CRLF. NULL when an address, the code or the unique part holds
 * a character a header cannot carry (CR, LF, other controls, spaces,
 * angle brackets), so nothing can inject a header. */
char *devplat_mail_code_message(apr_pool_t *p, const devplat_mail_code *m);

/* text (UTF-8) as RFC 2047 "B" encoded-words of at most 75 characters,
 * split on character boundaries and folded with CRLF SP. */
char *devplat_mail_encode_words(apr_pool_t *p, const char *text);

/* An RFC 5322 date in UTC: "Mon, 07 Dec 2026 15:18:32 +0000". */
char *devplat_mail_date(apr_pool_t *p, apr_time_t t);

/* "5 分钟" for a whole number of minutes, else "90 秒". */
char *devplat_mail_validity(apr_pool_t *p, long ttl);

#endif
