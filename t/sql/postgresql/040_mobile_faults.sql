-- Fault injection for t/mobile/*.t (see t/sql/README); the same faults as
-- t/sql/sqlite/040_mobile_faults.sql.
CREATE TABLE test_faults (
    what    VARCHAR(64) NOT NULL,
    user_id BIGINT,
    mobile  VARCHAR(20)
);

-- TG_ARGV: the fault's name, then how the row names its user: mobile (the
-- row's mobile), id (the row is the user), user_id (the row's user_id),
-- user_mobile (the row's user_id, named by that user's mobile).
CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hit boolean;
BEGIN
    IF TG_ARGV[1] = 'mobile' THEN
        hit := EXISTS (SELECT 1 FROM test_faults WHERE what = TG_ARGV[0] AND mobile = NEW.mobile);
    ELSIF TG_ARGV[1] = 'id' THEN
        hit := EXISTS (SELECT 1 FROM test_faults WHERE what = TG_ARGV[0] AND user_id = NEW.id);
    ELSIF TG_ARGV[1] = 'user_id' THEN
        hit := EXISTS (SELECT 1 FROM test_faults WHERE what = TG_ARGV[0] AND user_id = NEW.user_id);
    ELSE
        hit := EXISTS (SELECT 1 FROM test_faults f JOIN users u ON u.mobile = f.mobile
                       WHERE f.what = TG_ARGV[0] AND u.id = NEW.user_id);
    END IF;
    IF hit THEN
        RAISE EXCEPTION 'test fault: %', TG_ARGV[0];
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER test_fault_users_insert BEFORE INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION test_fault('users.insert', 'mobile');
CREATE TRIGGER test_fault_users_avatar BEFORE UPDATE OF avatar ON users
    FOR EACH ROW EXECUTE FUNCTION test_fault('users.avatar', 'id');
CREATE TRIGGER test_fault_users_status BEFORE UPDATE OF status ON users
    FOR EACH ROW EXECUTE FUNCTION test_fault('users.status', 'id');
CREATE TRIGGER test_fault_users_password BEFORE UPDATE OF password ON users
    FOR EACH ROW EXECUTE FUNCTION test_fault('users.password', 'id');
CREATE TRIGGER test_fault_qualifications_insert BEFORE INSERT ON qualifications
    FOR EACH ROW EXECUTE FUNCTION test_fault('qualifications.insert', 'user_id');
CREATE TRIGGER test_fault_identity_verifications_insert BEFORE INSERT ON identity_verifications
    FOR EACH ROW EXECUTE FUNCTION test_fault('identity_verifications.insert', 'user_id');
CREATE TRIGGER test_fault_sessions_insert BEFORE INSERT ON sessions
    FOR EACH ROW EXECUTE FUNCTION test_fault('sessions.insert', 'user_mobile');
CREATE TRIGGER test_fault_files_insert BEFORE INSERT ON files
    FOR EACH ROW EXECUTE FUNCTION test_fault('files.insert', 'user_id');
