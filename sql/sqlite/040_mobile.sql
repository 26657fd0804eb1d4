-- The mobile face (002): what the app API keeps beyond the shared users table.
-- Applied after 001_schema.sql.

-- Device data the app sends: the JPush RegistrationID (for push) and the
-- phone's unique id; the two balances 002 shows (NULL: never credited,
-- shown as ""): currency 小马砖 (a count), virtual_currency 红包 in fen.
ALTER TABLE users ADD COLUMN registration_id VARCHAR(255);
ALTER TABLE users ADD COLUMN uuid VARCHAR(64);
ALTER TABLE users ADD COLUMN currency BIGINT;
ALTER TABLE users ADD COLUMN virtual_currency BIGINT;

-- Real-name verification by resident ID card (GB 11643), one per user; a
-- card number verifies one account only.
-- state: 1 verified, 0 withdrawn (by an operator; the user may verify again)
CREATE TABLE id_verifications (
    user_id     INTEGER      PRIMARY KEY REFERENCES users (id),
    name        VARCHAR(64)  NOT NULL,
    card_no     VARCHAR(18)  NOT NULL,
    state       INTEGER      NOT NULL DEFAULT 1,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL
);
CREATE UNIQUE INDEX id_verifications_card ON id_verifications (card_no);

-- Professional qualification pictures (从业资格证) sent for review; each
-- submission puts the account under review (users.status 4).
CREATE TABLE qualifications (
    id          INTEGER      PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER      NOT NULL REFERENCES users (id),
    picture     VARCHAR(255) NOT NULL,
    created_at  VARCHAR(19)  NOT NULL
);
CREATE INDEX qualifications_user ON qualifications (user_id);
