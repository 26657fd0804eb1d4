-- The last administrator can never go (issue 11): one guard row that every
-- change able to take an active administrator (freeze, delete) updates
-- first, in its own transaction, so such changes run one after another and
-- each counts the administrators the previous one left (see
-- DEVPLAT_SQL_ADMIN_GUARD in modules/core/account_sql.h). Under READ
-- COMMITTED each statement reads a new snapshot: the count that follows the
-- guard's row lock sees the previous holder's commit.
-- Applied by tools/devplat-migrate in one transaction
-- (psql -X -v ON_ERROR_STOP=1 --single-transaction).

CREATE TABLE account_guards (
    name    VARCHAR(32) NOT NULL PRIMARY KEY,
    serial  BIGINT      NOT NULL DEFAULT 0
);
INSERT INTO account_guards (name, serial) VALUES ('administrators', 0);
