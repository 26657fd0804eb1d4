-- Signed account events (DevplatEventWebhook): the outbox. The account core
-- writes one row per event in the same transaction as the change it tells
-- of, so an event exists exactly when its change was committed. Any httpd
-- child of any node delivers: it claims a batch by setting lease_owner and
-- lease_until with a conditional UPDATE (a lease that ran out may be taken
-- again), POSTs each event and marks it delivered, or sets the next attempt
-- (exponential back-off). event_state.webhook_seen_at is set by a server
-- that delivers events: devplat-admin writes events once it is set.
-- Applied by tools/devplat-migrate (mariadb ... < file); it only adds, and
-- MariaDB commits at every DDL statement, so every statement may run
-- again: when a run fails, fix the cause and run it again.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS event_outbox (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id        VARCHAR(36)  NOT NULL,  -- the payload's "id" (random, UUID form)
    type            VARCHAR(32)  NOT NULL,  -- user.registered ...
    user_id         BIGINT       NOT NULL,
    payload         TEXT         NOT NULL,  -- the JSON body, as it is signed and sent
    created_at      BIGINT       NOT NULL,  -- Unix seconds
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at BIGINT       NOT NULL,  -- Unix seconds: not before
    lease_owner     VARCHAR(32),            -- the claim of the deliverer holding it
    lease_until     BIGINT,                 -- its lease ends (Unix seconds)
    delivered_at    BIGINT,                 -- a 2xx answer came (NULL: not yet)
    last_status     INTEGER      NOT NULL DEFAULT 0,    -- HTTP status, 0: no answer
    last_error      VARCHAR(255) NOT NULL DEFAULT '',
    UNIQUE KEY event_outbox_event_id (event_id),
    -- what the deliverers look for: undelivered events that are due
    KEY event_outbox_due (delivered_at, next_attempt_at),
    KEY event_outbox_lease (lease_owner)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS event_state (
    id              INTEGER NOT NULL PRIMARY KEY,
    webhook_seen_at BIGINT                  -- a delivering server started (Unix s)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO event_state (id, webhook_seen_at) VALUES (1, NULL);
