/* Login throttling per account + client address (DevplatLoginThrottle),
 * kept in the database so every node counts the same failures. */
#ifndef DEVPLAT_LOGIN_THROTTLE_H
#define DEVPLAT_LOGIN_THROTTLE_H

#include "devplat_private.h"

/* Seconds the pair must still wait (0: may try); -1 on database failure. */
apr_int64_t devplat_login_throttle_wait(devplat_req *req, const char *account);

/* Counts a failure; returns the lock it started in seconds (0 if none),
 * or -1 when it could not be recorded (the caller then checks no password:
 * the throttle fails closed). */
apr_int64_t devplat_login_throttle_fail(devplat_req *req, const char *account);

/* The bucket of a client address for names that match no account: its
 * failures count against DevplatUnknownLoginLimit, and its lock holds
 * every login from that address (known names too, so the lock tells
 * nothing about which names exist). Account keys never start with '#'
 * unless the account core made them. */
#define DEVPLAT_THROTTLE_UNKNOWN "#unknown-name"

/* Counts a failure of an unknown name for the client address; as
 * devplat_login_throttle_fail. */
apr_int64_t devplat_login_throttle_fail_unknown(devplat_req *req);

/* Forgets the pair after a successful login. */
void devplat_login_throttle_clear(devplat_req *req, const char *account);

#define DEVPLAT_MSG_THROTTLED "登录失败次数过多，请稍后再试"

#endif
