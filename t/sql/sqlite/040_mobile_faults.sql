-- Fault injection for t/mobile/*.t (see t/sql/README).
--   INSERT INTO test_faults (what, user_id, mobile) VALUES ('<what>', <id>, '<mobile>');
CREATE TABLE IF NOT EXISTS test_faults (
    what    VARCHAR(64) NOT NULL,
    user_id INTEGER,
    mobile  VARCHAR(20)
);

-- 'users.insert': a new user with this mobile number
CREATE TRIGGER test_fault_users_insert BEFORE INSERT ON users
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'users.insert' AND mobile = NEW.mobile)
BEGIN SELECT RAISE(ABORT, 'test fault: users.insert'); END;

-- 'users.avatar': this user's avatar
CREATE TRIGGER test_fault_users_avatar BEFORE UPDATE OF avatar ON users
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'users.avatar' AND user_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'test fault: users.avatar'); END;

-- 'users.status': this user's status
CREATE TRIGGER test_fault_users_status BEFORE UPDATE OF status ON users
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'users.status' AND user_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'test fault: users.status'); END;

-- 'users.password': this user's password
CREATE TRIGGER test_fault_users_password BEFORE UPDATE OF password ON users
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'users.password' AND user_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'test fault: users.password'); END;

-- 'qualifications.insert': a qualification of this user
CREATE TRIGGER test_fault_qualifications_insert BEFORE INSERT ON qualifications
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'qualifications.insert' AND user_id = NEW.user_id)
BEGIN SELECT RAISE(ABORT, 'test fault: qualifications.insert'); END;

-- 'identity_verifications.insert': a verification of this user
CREATE TRIGGER test_fault_identity_verifications_insert BEFORE INSERT ON identity_verifications
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'identity_verifications.insert' AND user_id = NEW.user_id)
BEGIN SELECT RAISE(ABORT, 'test fault: identity_verifications.insert'); END;

-- 'sessions.insert': a session of the user with this mobile number
CREATE TRIGGER test_fault_sessions_insert BEFORE INSERT ON sessions
WHEN EXISTS (SELECT 1 FROM test_faults f JOIN users u ON u.mobile = f.mobile
             WHERE f.what = 'sessions.insert' AND u.id = NEW.user_id)
BEGIN SELECT RAISE(ABORT, 'test fault: sessions.insert'); END;

-- 'files.insert': a stored upload of this user
CREATE TRIGGER test_fault_files_insert BEFORE INSERT ON files
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'files.insert' AND user_id = NEW.user_id)
BEGIN SELECT RAISE(ABORT, 'test fault: files.insert'); END;
