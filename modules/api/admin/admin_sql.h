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

/* Columns of DPA_USER_PAGE and DPA_USER_GET, in this order. */
enum {
    DPA_COL_ID, DPA_COL_USERNAME, DPA_COL_NAME, DPA_COL_MOBILE, DPA_COL_EMAIL,
    DPA_COL_POSITION, DPA_COL_AVATAR, DPA_COL_STATUS, DPA_COL_IS_ADMIN,
    DPA_COL_CREATED, DPA_COL_UPDATED
};

#endif
