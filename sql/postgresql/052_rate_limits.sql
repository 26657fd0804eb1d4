-- Rate limits (issue 11): DevplatRateLimit counts attempts in fixed windows,
-- one row per limit, subject (a client address or an account id) and
-- window; the row is claimed with a conditional UPDATE (hits < count), so
-- concurrent requests on any node never get more than the limit through.
-- The periodic purge (DevplatPurgeInterval) deletes rows past expires_at,
-- and expired captchas, verification codes and cooldowns, by the indexes
-- below. Applied by tools/devplat-migrate in ONE transaction
-- (psql -X -v ON_ERROR_STOP=1 --single-transaction); it works on an empty
-- database as on one of the release before (it only adds).

CREATE TABLE rate_limits (
    bucket       VARCHAR(32) NOT NULL,   -- the limit's name
    subject      VARCHAR(64) NOT NULL,   -- client address or account id
    window_start BIGINT      NOT NULL,   -- Unix seconds, a multiple of the window
    expires_at   BIGINT      NOT NULL,   -- window_start + window
    hits         INTEGER     NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, subject, window_start)
);
CREATE INDEX rate_limits_expires ON rate_limits (expires_at);

-- what the purge looks for
CREATE INDEX verification_codes_created ON verification_codes (created_at);
CREATE INDEX code_cooldowns_sent ON code_cooldowns (sent_at);
