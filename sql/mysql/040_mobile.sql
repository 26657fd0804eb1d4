-- The mobile face (002): what the app API keeps beyond the shared users table.
-- Applied after 001_schema.sql.
SET NAMES utf8mb4;

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
    user_id     BIGINT       NOT NULL PRIMARY KEY,
    name        VARCHAR(64)  NOT NULL,
    card_no     VARCHAR(18)  NOT NULL,
    state       INTEGER      NOT NULL DEFAULT 1,
    created_at  VARCHAR(19)  NOT NULL,
    updated_at  VARCHAR(19)  NOT NULL,
    UNIQUE KEY id_verifications_card (card_no),
    CONSTRAINT id_verifications_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Professional qualification pictures (从业资格证) sent for review; each
-- submission puts the account under review (users.status 4).
CREATE TABLE qualifications (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id     BIGINT       NOT NULL,
    picture     VARCHAR(255) NOT NULL,
    created_at  VARCHAR(19)  NOT NULL,
    KEY qualifications_user (user_id),
    CONSTRAINT qualifications_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
