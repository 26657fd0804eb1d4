/* GB 11643 checks: MOD 11-2 check character and a real birth date. */
#include "idcard.h"

#include <string.h>
#include <time.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int real_birth_date(const char *d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int m = (d[4] - '0') * 10 + (d[5] - '0');
    int day = (d[6] - '0') * 10 + (d[7] - '0');
    time_t now = time(NULL);
    struct tm tm;
    long today, birth;

    if (y < 1900 || m < 1 || m > 12 || day < 1) {
        return 0;
    }
    if (day > days[m - 1] + (m == 2 && leap(y))) {
        return 0;
    }
    localtime_r(&now, &tm);
    today = (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100 + tm.tm_mday;
    birth = y * 10000L + m * 100 + day;
    return birth <= today;
}

int devplat_is_cn_id_card(const char *s)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int i, sum = 0;
    char last;

    if (!s || strlen(s) != 18) {
        return 0;
    }
    for (i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        sum += (s[i] - '0') * weight[i];
    }
    last = s[17] == 'x' ? 'X' : s[17];
    if (last != check[sum % 11]) {
        return 0;
    }
    return real_birth_date(s + 6);
}

void devplat_mask_id_card(const char *s, char *out)
{
    size_t n = s ? strlen(s) : 0, i;

    if (n > 18) {
        n = 18;
    }
    for (i = 0; i < n; i++) {
        out[i] = (i < 3 || i + 4 >= n) ? s[i] : '*';
    }
    out[n] = '\0';
}
