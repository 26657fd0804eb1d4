/* Verification codes: issue (with cooldown, caps and delivery) and check. */
#ifndef DEVPLAT_CODES_H
#define DEVPLAT_CODES_H

#include "devplat_private.h"

/* Sends a new code for purpose to destination over channel ("sms" or
 * "email"), bound to account_id (the signed-in account that asks for it; 0
 * for none: register, retrieve). Answers the request itself on failure (429 cooldown or caps,
 * 500 delivery failed, 503 database) and returns its result; on success
 * returns DEVPLAT_CONTINUE with *code_out the code (for DevplatExposeCodes). */
int devplat_code_send(devplat_req *req, const char *channel, const char *destination,
                      const char *purpose, apr_int64_t account_id,
                      const char **code_out);

typedef enum {
    DEVPLAT_CODE_VALID = 0,
    DEVPLAT_CODE_WRONG,       /* wrong, expired, spent, burned or never sent */
    DEVPLAT_CODE_ERROR        /* the database failed; logged */
} devplat_code_result;

/* Checks code for destination + purpose + account without spending it; a wrong code
 * counts one try. *code_id identifies the code for devplat_code_spend(). */
devplat_code_result devplat_code_check(devplat_req *req, const char *destination,
                                       const char *purpose, apr_int64_t account_id,
                                       const char *code, apr_int64_t *code_id);

/* Spends a checked code, normally inside the transaction of the change it
 * authorises; 0 when another request spent it first. */
int devplat_code_spend(devplat_req *req, apr_int64_t code_id);

#define DEVPLAT_MSG_CODE_WRONG "验证码错误或已失效"

#endif
