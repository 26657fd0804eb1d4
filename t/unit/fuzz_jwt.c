/* libFuzzer target: arbitrary bytes into the JWT verifier and the UTF-8
 * validator, the two parsers that see raw client input.
 *
 *   make fuzz-build && scripts/fuzz.sh t/unit/fuzz_jwt 60
 *   (or by hand: t/unit/fuzz_jwt -max_total_time=60 t/unit/corpus/fuzz_jwt)
 *
 * Input is verified as a token as it is, except when it starts with '{':
 * then it is "header\npayload", signed first, so that the payload parser
 * behind the signature check gets exercised too. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "jwt.h"
#include "validate.h"

static const unsigned char key[] = "fuzz-key-fuzz-key-fuzz-key-fuzz!";

static apr_pool_t *root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    devplat_jwt_claims c;
    devplat_jwt_status st;
    char *s;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);

    devplat_utf8_valid((const char *)data, size);

    s = apr_pstrmemdup(p, (const char *)data, size);
    devplat_utf8_length(s);
    devplat_is_name(s, 2, 16);
    devplat_b64url_decode(p, s, strlen(s), NULL);

    if (s[0] == '{') {
        char *nl = strchr(s, '\n');
        if (nl != NULL) {
            *nl = '\0';
            s = devplat_jwt_sign_raw(p, key, sizeof(key) - 1, s, nl + 1);
        }
    }
    st = devplat_jwt_verify(p, key, sizeof(key) - 1, s, 1700000000, &c);
    if (st == DEVPLAT_JWT_OK || st == DEVPLAT_JWT_EXPIRED) {
        /* Filled claims must be real strings. */
        if (c.sub == NULL || c.jti == NULL) {
            abort();
        }
        (void)strlen(c.sub);
        (void)strlen(c.jti);
    }
    else if (c.sub != NULL || c.jti != NULL) {
        abort();
    }

    apr_pool_destroy(p);
    return 0;
}
