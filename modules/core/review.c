/* The kinds of submission of the review queues and their status texts. */
#include <string.h>

#include "review.h"

const devplat_review_kind devplat_review_kinds[] = {
    {DEVPLAT_REVIEW_REAL_NAME, DEVPLAT_REVIEW_EFFECT_REAL_NAME, DEVPLAT_SQL_REVIEW_EFFECT_REAL_NAME},
    {DEVPLAT_REVIEW_EDUCATION, DEVPLAT_REVIEW_EFFECT_EDUCATION, DEVPLAT_SQL_REVIEW_EFFECT_EDUCATION},
    {DEVPLAT_REVIEW_JOB, DEVPLAT_REVIEW_EFFECT_JOB, DEVPLAT_SQL_REVIEW_EFFECT_JOB},
    {DEVPLAT_REVIEW_AWARD, DEVPLAT_REVIEW_EFFECT_AWARD, DEVPLAT_SQL_REVIEW_EFFECT_AWARD},
    {DEVPLAT_REVIEW_QUALIFICATION, NULL, NULL},
    {NULL, NULL, NULL}
};

const devplat_review_kind *devplat_review_kind_named(const char *name)
{
    const devplat_review_kind *k;

    for (k = devplat_review_kinds; name && k->name; k++) {
        if (!strcmp(k->name, name)) {
            return k;
        }
    }
    return NULL;
}

const char *devplat_review_status_text(int status)
{
    switch (status) {
    case DEVPLAT_REVIEW_PENDING:
        return "待审核";
    case DEVPLAT_REVIEW_PASSED:
        return "已通过";
    case DEVPLAT_REVIEW_REJECTED:
        return "未通过";
    default:
        return "已失效";    /* superseded by the user's next submission */
    }
}
