/* Unit tests of modules/core/mail.c: the verification-code e-mail (TAP). */

#include <stdlib.h>
#include <string.h>

#include <apr_base64.h>
#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "mail.h"
#include "utf8.h"

#include "unit.h"

static apr_pool_t *pool;

static char *unb64(const char *s)
{
    char *out = apr_palloc(pool, apr_base64_decode_len(s) + 1);
    int n = apr_base64_decode(out, s);

    out[n] = '\0';
    return out;
}

/* The header field's value (unfolded), NULL when absent. */
static char *header(const char *msg, const char *name)
{
    const char *end = strstr(msg, "\r\n\r\n");
    const char *at = msg;
    apr_size_t n = strlen(name);

    while (at && at < end) {
        if (!strncasecmp(at, name, n) && at[n] == ':') {
            const char *v = at + n + 1, *stop;
            char *out = "";

            while (*v == ' ') {
                v++;
            }
            for (stop = v;;) {
                stop = strstr(stop, "\r\n");
                if (stop[2] != ' ' && stop[2] != '\t') {
                    break;
                }
                stop += 2;
            }
            /* unfold: drop each CRLF before a continuation line */
            for (; v < stop; v++) {
                if (*v != '\r' && *v != '\n') {
                    out = apr_pstrcat(pool, out, apr_pstrmemdup(pool, v, 1), NULL);
                }
            }
            return out;
        }
        at = strstr(at, "\r\n");
        at = at ? at + 2 : NULL;
    }
    return NULL;
}

/* Concatenated payloads of the encoded-words in s, decoded. */
static char *decode_words(const char *s)
{
    char *out = "";
    const char *at = s;

    while ((at = strstr(at, "=?UTF-8?B?"))) {
        const char *end = strstr(at + 10, "?=");
        if (!end) {
            break;
        }
        out = apr_pstrcat(pool, out, unb64(apr_pstrmemdup(pool, at + 10, end - at - 10)), NULL);
        at = end + 2;
    }
    return out;
}

/* The decoded text of a message's base64 body. */
static char *body_text(const char *msg)
{
    char *lines = apr_pstrdup(pool, strstr(msg, "\r\n\r\n") + 4), *line, *state;
    char *all = "";

    for (line = apr_strtok(lines, "\r\n", &state); line; line = apr_strtok(NULL, "\r\n", &state)) {
        all = apr_pstrcat(pool, all, line, NULL);
    }
    return unb64(all);
}

static devplat_mail_code sample(void)
{
    devplat_mail_code m = {
        "noreply@devplat.example", "alice@example.com", "042917", "bind_email", 300,
        apr_time_from_sec(1796656712), "5f2a9c0d1e3b4a6f"
    };
    return m;
}

static void test_message(void)
{
    devplat_mail_code m = sample();
    char *msg = devplat_mail_code_message(pool, &m);
    const char *body, *c;
    char *lines, *line, *state, *text;
    int bare_lf = 0, long_line = 0, eight_bit = 0;

    UNIT_OK(msg != NULL, "a message");
    if (!msg) {
        return;
    }
    for (c = msg; *c; c++) {
        if (*c == '\n' && (c == msg || c[-1] != '\r')) {
            bare_lf = 1;
        }
        if ((unsigned char)*c > 0x7f) {
            eight_bit = 1;
        }
    }
    UNIT_OK(!bare_lf, "every line ends in CRLF");
    UNIT_OK(!eight_bit, "7-bit clean with ASCII addresses");
    UNIT_IS_STR(header(msg, "From"), "noreply@devplat.example", "From");
    UNIT_IS_STR(header(msg, "To"), "alice@example.com", "To");
    UNIT_IS_STR(header(msg, "Date"), "Mon, 07 Dec 2026 15:18:32 +0000", "Date (RFC 5322, UTC)");
    UNIT_IS_STR(header(msg, "Message-ID"), "<5f2a9c0d1e3b4a6f@devplat.example>",
                "Message-ID on the sender's domain");
    UNIT_IS_STR(header(msg, "MIME-Version"), "1.0", "MIME-Version");
    UNIT_IS_STR(header(msg, "Content-Type"), "text/plain; charset=UTF-8", "Content-Type");
    UNIT_IS_STR(header(msg, "Content-Transfer-Encoding"), "base64", "Content-Transfer-Encoding");
    UNIT_IS_STR(header(msg, "Auto-Submitted"), "auto-generated", "Auto-Submitted (RFC 3834)");
    UNIT_OK(!strncmp(header(msg, "Subject"), "=?UTF-8?B?", 10), "Subject is an encoded-word");
    UNIT_IS_STR(decode_words(header(msg, "Subject")), "邮箱验证码", "Subject decodes");

    body = strstr(msg, "\r\n\r\n") + 4;
    lines = apr_pstrdup(pool, body);
    text = "";
    for (line = apr_strtok(lines, "\r\n", &state); line; line = apr_strtok(NULL, "\r\n", &state)) {
        if (strlen(line) > 76) {
            long_line = 1;
        }
        text = apr_pstrcat(pool, text, line, NULL);
    }
    UNIT_OK(!long_line, "base64 lines of at most 76 characters");
    text = unb64(text);
    UNIT_OK(devplat_utf8_valid(text, strlen(text)), "the body is UTF-8");
    UNIT_OK(strstr(text, "您的验证码是：042917") != NULL, "the body states the code");
    UNIT_OK(strstr(text, "验证码 5 分钟内有效") != NULL, "and its validity in minutes");
    UNIT_OK(strstr(text, "您正在绑定邮箱") != NULL, "and what it is for");
    UNIT_IS_STR(body_text(msg), text, "body_text agrees");

    m.purpose = "register";
    msg = devplat_mail_code_message(pool, &m);
    UNIT_OK(msg && !strstr(body_text(msg), "您正在"), "an unknown purpose: no purpose line");
    UNIT_OK(msg && strstr(body_text(msg), "您的验证码是：042917"), "but the code");
    m.purpose = NULL;
    UNIT_OK(devplat_mail_code_message(pool, &m) != NULL, "no purpose: a message");
}

static void test_refusals(void)
{
    static const char *const bad_addr[] = {
        "", "a@b.example\r\nBcc: eve@example.com", "a@b.example\nX: y", "a b@example.com",
        "<a@b.example>", "a@b.example>", "\"a\"@b.example", "a@b.example,eve@example.com",
        "a@b.example;x", "\xC3@b.example", "a\x7f@b.example", "a\t@b.example"
    };
    devplat_mail_code m;
    apr_size_t i;

    for (i = 0; i < sizeof(bad_addr) / sizeof(bad_addr[0]); i++) {
        m = sample();
        m.to = bad_addr[i];
        UNIT_OK(devplat_mail_code_message(pool, &m) == NULL, "recipient refused: #%d", (int)i);
        m = sample();
        m.from = bad_addr[i];
        UNIT_OK(devplat_mail_code_message(pool, &m) == NULL, "sender refused: #%d", (int)i);
    }
    m = sample();
    m.to = NULL;
    UNIT_OK(devplat_mail_code_message(pool, &m) == NULL, "no recipient");
    m = sample();
    m.from = "noreply";
    UNIT_OK(devplat_mail_code_message(pool, &m) == NULL, "a sender without a domain");
    m = sample();
    m.code = "12a456";
    UNIT_OK(devplat_mail_code_message(pool, &m) == NULL, "a code that is not digits");
    m = sample();
    m.code = "";
    UNIT_OK(devplat_mail_code_message(pool, &m) == NULL, "an empty code");
    m = sample();
    m.unique = "x\r\ny";
    UNIT_OK(devplat_mail_code_message(pool, &m) == NULL, "a Message-ID with CRLF");
    m = sample();
    m.ttl = 0;
    UNIT_OK(devplat_mail_code_message(pool, &m) == NULL, "a validity of 0");

    m = sample();
    m.to = "张三@example.com";
    UNIT_OK(devplat_mail_code_message(pool, &m) != NULL, "an RFC 6531 recipient");
    UNIT_IS_STR(header(devplat_mail_code_message(pool, &m), "To"), "张三@example.com",
                "in the To header as UTF-8 (RFC 6532)");
}

static void test_words(void)
{
    const char *text = "验证码验证码验证码验证码验证码验证码验证码验证码验证码验证码 mod_devplat ✓";
    char *w = devplat_mail_encode_words(pool, text), *line, *state;
    int all_short = 1, words = 0;

    for (line = apr_strtok(apr_pstrdup(pool, w), "\r\n", &state); line;
         line = apr_strtok(NULL, "\r\n", &state)) {
        const char *word = line[0] == ' ' ? line + 1 : line;
        char *payload;

        words++;
        if (strlen(word) > 75) {
            all_short = 0;
        }
        payload = unb64(apr_pstrmemdup(pool, word + 10, strlen(word) - 12));
        UNIT_OK(devplat_utf8_valid(payload, strlen(payload)),
                "word %d holds whole characters", words);
    }
    UNIT_OK(words > 1, "a long subject takes several words (%d)", words);
    UNIT_OK(all_short, "each at most 75 characters");
    UNIT_IS_STR(decode_words(w), text, "they decode to the text");
    UNIT_IS_STR(devplat_mail_encode_words(pool, "验证码"), "=?UTF-8?B?6aqM6K+B56CB?=",
                "one short word");
    UNIT_IS_STR(devplat_mail_encode_words(pool, ""), "", "nothing for nothing");
}

static void test_small(void)
{
    UNIT_OK(devplat_mail_address_ok("noreply@example.com"), "address: plain");
    UNIT_OK(devplat_mail_address_ok("张三@example.com"), "address: UTF-8 local part");
    UNIT_OK(!devplat_mail_address_ok("@example.com"), "address: no local part");
    UNIT_OK(!devplat_mail_address_ok("noreply@"), "address: no domain");
    UNIT_OK(!devplat_mail_address_ok("noreply@.example.com"), "address: domain starts with a dot");
    UNIT_OK(!devplat_mail_address_ok("Name <noreply@example.com>"), "address: a display name");
    UNIT_OK(!devplat_mail_address_ok(NULL), "address: none");
    UNIT_IS_STR(devplat_mail_validity(pool, 300), "5 分钟", "300 s: 5 minutes");
    UNIT_IS_STR(devplat_mail_validity(pool, 60), "1 分钟", "60 s: 1 minute");
    UNIT_IS_STR(devplat_mail_validity(pool, 90), "90 秒", "90 s in seconds");
    UNIT_IS_STR(devplat_mail_date(pool, 0), "Thu, 01 Jan 1970 00:00:00 +0000", "the epoch");
    UNIT_IS_STR(devplat_mail_date(pool, apr_time_from_sec(951782400)),
                "Tue, 29 Feb 2000 00:00:00 +0000", "a leap day");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_message();
    test_refusals();
    test_words();
    test_small();
    apr_pool_destroy(pool);
    apr_terminate();
    return UNIT_DONE();
}
