-- The last administrator can never go (issue 11): one guard row that every
-- change able to take an active administrator (freeze, delete) updates
-- first, in its own transaction, so such changes run one after another and
-- each counts the administrators the previous one left (see
-- DEVPLAT_SQL_ADMIN_GUARD in modules/core/account_sql.h). InnoDB's
-- REPEATABLE READ takes its snapshot at the first plain read, which comes
-- after the guard's row lock.
-- Applied by tools/devplat-migrate (mariadb ... < file); every statement
-- may run again.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS account_guards (
    name    VARCHAR(32) NOT NULL PRIMARY KEY,
    serial  BIGINT      NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO account_guards (name, serial) VALUES ('administrators', 0);
