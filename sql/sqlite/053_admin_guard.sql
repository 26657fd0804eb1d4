-- The last administrator can never go (issue 11): one guard row that every
-- change able to take an active administrator (freeze, delete) updates
-- first, in its own transaction, so such changes run one after another and
-- each counts the administrators the previous one left (see
-- DEVPLAT_SQL_ADMIN_GUARD in modules/core/account_sql.h).
-- Applied by tools/devplat-migrate (sqlite3 -bail), as one transaction.
BEGIN;

CREATE TABLE account_guards (
    name    VARCHAR(32) NOT NULL PRIMARY KEY,
    serial  BIGINT      NOT NULL DEFAULT 0
);
INSERT INTO account_guards (name, serial) VALUES ('administrators', 0);

COMMIT;
