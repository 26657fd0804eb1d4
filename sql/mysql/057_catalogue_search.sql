-- The project catalogue at a million projects (issue 14).
--
-- catalogue_counts: the number of live projects (deleted_at IS NULL), kept
-- by triggers in the transaction of every insert, delete and soft delete,
-- so that the unfiltered listing never counts the table.
--
-- project_search: the search index, one row per project with its terms
-- (modules/core/search_terms.h: every folded character u<hex> and every
-- pair of adjacent folded characters <hex>x<hex> of name, introduction,
-- domain and research_direction joined with a line feed), space
-- separated, under a FULLTEXT index searched IN BOOLEAN MODE (+t1 +t2).
-- Every term is at least 4 characters of hex digits and one letter, so
-- neither the default innodb_ft_min_token_size (3) nor the default
-- stopword list drops one; no server option is needed (a server with
-- innodb_ft_min_token_size above 4 would lose the shortest terms: keep it
-- at 4 or below). mod_devplat and devplat-admin write a project's terms
-- in the transaction that writes the project; devplat-admin project
-- reindex writes them all again (for rows written by plain SQL). Deleted
-- projects keep theirs. This file builds the terms of every existing
-- project with the same rules in SQL.
--
-- Applied by tools/devplat-migrate (mariadb ... < file). MariaDB commits at
-- DDL, so every step may run again: a failed run is fixed and repeated.
-- With binary logging on, creating a trigger needs the TRIGGER privilege
-- and log_bin_trust_function_creators = 1 (or SUPER).
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS catalogue_counts (
    name  VARCHAR(32) NOT NULL PRIMARY KEY,
    value BIGINT      NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TRIGGER IF NOT EXISTS projects_count_insert AFTER INSERT ON projects FOR EACH ROW
    UPDATE catalogue_counts SET value = value + (NEW.deleted_at IS NULL)
    WHERE name = 'live_projects';
CREATE TRIGGER IF NOT EXISTS projects_count_delete AFTER DELETE ON projects FOR EACH ROW
    UPDATE catalogue_counts SET value = value - (OLD.deleted_at IS NULL)
    WHERE name = 'live_projects';
CREATE TRIGGER IF NOT EXISTS projects_count_update AFTER UPDATE ON projects FOR EACH ROW
    UPDATE catalogue_counts
    SET value = value + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL)
    WHERE name = 'live_projects';

-- counted after the triggers exist, so a run that is repeated counts again
REPLACE INTO catalogue_counts (name, value)
    SELECT 'live_projects', COUNT(*) FROM projects WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS project_search (
    project_id BIGINT     NOT NULL PRIMARY KEY,
    terms      MEDIUMTEXT NOT NULL,
    FULLTEXT KEY project_search_terms (terms)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO project_search (project_id, terms)
SELECT id, GROUP_CONCAT(term ORDER BY term SEPARATOR ' ')
FROM (
    SELECT DISTINCT id, CASE WHEN two.k = 1
        THEN CONCAT('u', CASE WHEN g < 256 THEN LPAD(LOWER(HEX(g)), 3, '0')
                              ELSE LOWER(HEX(g)) END)
        ELSE CONCAT(CASE WHEN g < 16 THEN '0' ELSE '' END, LOWER(HEX(g)), 'x',
                    CASE WHEN h < 16 THEN '0' ELSE '' END, LOWER(HEX(h))) END AS term
    FROM (
        SELECT id, g, LEAD(g) OVER (PARTITION BY id ORDER BY i) AS h
        FROM (
            SELECT id, i, CASE
                WHEN u BETWEEN 65 AND 90 THEN u + 32
                WHEN u < 128 THEN u
                WHEN u = 304 THEN 105
                WHEN u = 8490 THEN 107
                WHEN u BETWEEN 65313 AND 65338 THEN u + 32
                WHEN u BETWEEN 11904 AND 40959 OR u BETWEEN 44032 AND 55215
                     OR u BETWEEN 63744 AND 64255 OR u BETWEEN 65280 AND 65519
                     OR u BETWEEN 131072 AND 262143 THEN u
                ELSE 128 END AS g
            FROM (
                -- the characters of each text: seq_1_to_N is MariaDB's
                -- built-in Sequence engine; N covers the longest text
                SELECT p.id, n.seq AS i,
                       ORD(CONVERT(SUBSTRING(p.s, n.seq, 1) USING utf32)) AS u
                FROM (SELECT id, CONCAT(name, CHAR(10 USING utf8mb4), introduction,
                                        CHAR(10 USING utf8mb4), domain,
                                        CHAR(10 USING utf8mb4), research_direction) AS s
                      FROM projects) p
                JOIN seq_1_to_2300 n ON n.seq <= CHAR_LENGTH(p.s)
            ) cps
        ) folded
    ) pairs
    JOIN (SELECT 1 AS k UNION ALL SELECT 2) two ON two.k = 1 OR pairs.h IS NOT NULL
) terms
GROUP BY id;
