-- Fault injection for t/mobile/*.t (see t/sql/README); the same faults as
-- t/sql/sqlite/040_mobile_faults.sql. MariaDB has no UPDATE OF column
-- triggers: an update trigger fires when the column's value changes.
CREATE TABLE test_faults (
    what    VARCHAR(64) NOT NULL,
    user_id BIGINT,
    mobile  VARCHAR(20)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

DELIMITER //
CREATE TRIGGER test_fault_users_insert BEFORE INSERT ON users FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'users.insert' AND mobile = NEW.mobile) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: users.insert';
    END IF;
END//
CREATE TRIGGER test_fault_users_update BEFORE UPDATE ON users FOR EACH ROW
BEGIN
    IF NOT (NEW.avatar <=> OLD.avatar)
       AND EXISTS (SELECT 1 FROM test_faults WHERE what = 'users.avatar' AND user_id = NEW.id) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: users.avatar';
    END IF;
    IF NOT (NEW.status <=> OLD.status)
       AND EXISTS (SELECT 1 FROM test_faults WHERE what = 'users.status' AND user_id = NEW.id) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: users.status';
    END IF;
    IF NOT (NEW.password <=> OLD.password)
       AND EXISTS (SELECT 1 FROM test_faults WHERE what = 'users.password' AND user_id = NEW.id) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: users.password';
    END IF;
END//
CREATE TRIGGER test_fault_qualifications_insert BEFORE INSERT ON qualifications FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'qualifications.insert' AND user_id = NEW.user_id) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: qualifications.insert';
    END IF;
END//
CREATE TRIGGER test_fault_identity_verifications_insert BEFORE INSERT ON identity_verifications FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'identity_verifications.insert' AND user_id = NEW.user_id) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: identity_verifications.insert';
    END IF;
END//
CREATE TRIGGER test_fault_sessions_insert BEFORE INSERT ON sessions FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults f JOIN users u ON u.mobile = f.mobile
               WHERE f.what = 'sessions.insert' AND u.id = NEW.user_id) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: sessions.insert';
    END IF;
END//
CREATE TRIGGER test_fault_files_insert BEFORE INSERT ON files FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'files.insert' AND user_id = NEW.user_id) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: files.insert';
    END IF;
END//
DELIMITER ;
