/* The vocabulary of the one identity store: every value that C code and
 * SQL text share about accounts is defined here, once. SQL statements take
 * the numbers through DEVPLAT_SQL_INT() so that no bare number stands for
 * a status inside a statement. No httpd header: modules/core only. */
#ifndef DEVPLAT_VOCAB_H
#define DEVPLAT_VOCAB_H

/* Turns a numeric macro into SQL text: DEVPLAT_SQL_INT(DEVPLAT_STATUS_DELETED)
 * is "5". */
#define DEVPLAT_SQL_INT(x) DEVPLAT_SQL_INT_(x)
#define DEVPLAT_SQL_INT_(x) #x

/* Account status (users.status), the same on every face. Frozen and deleted
 * accounts cannot sign in and their tokens stop working at once; deleted is
 * a soft delete (the row stays for the audit trail). */
#define DEVPLAT_STATUS_NORMAL        0
#define DEVPLAT_STATUS_FROZEN        1
#define DEVPLAT_STATUS_NOT_REVIEWED  2     /* admin-face sign-up, mobile register */
#define DEVPLAT_STATUS_REJECTED      3     /* 信息认证未通过 */
#define DEVPLAT_STATUS_UNDER_REVIEW  4     /* 审核中: a qualification was sent */
#define DEVPLAT_STATUS_DELETED       5

/* Review status of a submission (identity verification, education, job and
 * award records): 待审核, 已通过, 未通过. A change by the user puts a record
 * back to pending. */
#define DEVPLAT_REVIEW_PENDING   0
#define DEVPLAT_REVIEW_PASSED    1
#define DEVPLAT_REVIEW_REJECTED  2
/* a review row only (reviews.status): the user changed the record before
 * anyone decided; the change is a submission of its own */
#define DEVPLAT_REVIEW_SUPERSEDED 3

/* Who submitted an identity verification (identity_verifications.source). */
#define DEVPLAT_SOURCE_DEVELOPER "developer"
#define DEVPLAT_SOURCE_MOBILE    "mobile"

/* Verification code purposes. A code is bound to its destination, one of
 * these and the account that asked for it (none for register/retrieve). */
#define DEVPLAT_PURPOSE_REGISTER      "register"            /* SMS to a new number */
#define DEVPLAT_PURPOSE_RETRIEVE      "retrieve"            /* SMS to reset a password */
#define DEVPLAT_PURPOSE_MOBILE_OLD    "change_mobile_old"   /* SMS to the current mobile */
#define DEVPLAT_PURPOSE_MOBILE_EMAIL  "change_mobile_email" /* mail to the proven address */
#define DEVPLAT_PURPOSE_MOBILE_NEW    "change_mobile_new"   /* SMS to the new mobile */
#define DEVPLAT_PURPOSE_BIND_EMAIL    "bind_email"          /* mail to the address to bind */
#define DEVPLAT_PURPOSE_EMAIL_OLD     "change_email_old"    /* mail to the proven address */

/* Upload kinds (files.kind, the storage subdirectory). A picture field takes
 * only the kinds it names: see devplat_upload_owned(). */
#define DEVPLAT_KIND_AVATAR          "avatar"          /* developer avatar, admin sign-up */
#define DEVPLAT_KIND_LICENSED_PHOTO  "licensed-photo"  /* the ID scan of real-name */
#define DEVPLAT_KIND_AWARD_PICTURE   "award-picture"   /* proof of an award */
#define DEVPLAT_KIND_IMAGE           "image"           /* mobile upload_image */

/* Credit records the module writes itself. */
#define DEVPLAT_CREDIT_REGISTER "完成注册获取积分"

/* Contacts of an account: a proven one (users.mobile / users.email) blocks
 * every other account and is a login identifier; an unverified one
 * (users.unverified_*) does neither. */
typedef enum {
    DEVPLAT_CONTACT_MOBILE = 0,
    DEVPLAT_CONTACT_EMAIL
} devplat_contact;

#endif
