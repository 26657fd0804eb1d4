/* Labels of the admin face's statements (admin_sql.c holds the SQL). */
#ifndef DEVPLAT_ADMIN_SQL_H
#define DEVPLAT_ADMIN_SQL_H

#define DPA_CAPTCHA_INSERT       "devplat_admin_captcha_insert"
#define DPA_CAPTCHA_GET          "devplat_admin_captcha_get"
#define DPA_CAPTCHA_SPEND        "devplat_admin_captcha_spend"
#define DPA_ACTOR                "devplat_admin_actor"
#define DPA_USER_AVATAR          "devplat_admin_user_avatar"
#define DPA_USER_COUNT           "devplat_admin_user_count"
#define DPA_USER_PAGE            "devplat_admin_user_page"
#define DPA_USER_GET             "devplat_admin_user_get"
#define DPA_USER_UPDATE          "devplat_admin_user_update"

/* the review queues (054_reviews.sql) */
#define DPA_REVIEW_COUNT         "devplat_admin_review_count"
#define DPA_REVIEW_PAGE          "devplat_admin_review_page"
#define DPA_REVIEW_GET           "devplat_admin_review_get"
#define DPA_REVIEW_HISTORY       "devplat_admin_review_history"

/* Columns of DPA_REVIEW_PAGE and DPA_REVIEW_GET (which adds the last two). */
enum {
    DPA_RCOL_ID, DPA_RCOL_KIND, DPA_RCOL_USER_ID, DPA_RCOL_NICKNAME, DPA_RCOL_STATUS,
    DPA_RCOL_MESSAGE, DPA_RCOL_FIELDS, DPA_RCOL_PICTURES, DPA_RCOL_SUBMITTED,
    DPA_RCOL_REVIEWED, DPA_RCOL_REVIEWER, DPA_RCOL_RECORD, DPA_RCOL_ACCOUNT_STATUS
};
/* Columns of DPA_REVIEW_HISTORY. */
enum {
    DPA_HCOL_ID, DPA_HCOL_STATUS, DPA_HCOL_MESSAGE, DPA_HCOL_SUBMITTED, DPA_HCOL_REVIEWED,
    DPA_HCOL_REVIEWER
};

/* a user's credit records (GET user/{id}/credit) */
#define DPA_CREDIT_TOTALS        "devplat_admin_credit_totals"
#define DPA_CREDIT_COUNT         "devplat_admin_credit_count"
#define DPA_CREDIT_PAGE          "devplat_admin_credit_page"

/* Columns of DPA_CREDIT_TOTALS (the live user's maintained totals). */
enum { DPA_TCOL_GENERAL, DPA_TCOL_DEDICATED };
/* Columns of DPA_CREDIT_PAGE, newest first. */
enum {
    DPA_CCOL_ID, DPA_CCOL_AMOUNT, DPA_CCOL_POSITIVE, DPA_CCOL_DEDICATED, DPA_CCOL_MESSAGE,
    DPA_CCOL_CREATED
};

/* Columns of DPA_USER_PAGE and DPA_USER_GET, in this order. */
enum {
    DPA_COL_ID, DPA_COL_USERNAME, DPA_COL_NAME, DPA_COL_MOBILE, DPA_COL_EMAIL,
    DPA_COL_POSITION, DPA_COL_AVATAR, DPA_COL_STATUS, DPA_COL_IS_ADMIN,
    DPA_COL_CREATED, DPA_COL_UPDATED
};

#endif
