-- 'login_throttle.write': the login throttle cannot record an attempt for
-- the account key in test_faults.mobile ("#user:<id>"), see t/sql/README.
CREATE FUNCTION test_fault_throttle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'login_throttle.write'
               AND mobile = NEW.account) THEN
        RAISE EXCEPTION 'test fault: login_throttle.write';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_fault_throttle_write BEFORE INSERT OR UPDATE ON login_throttle
    FOR EACH ROW EXECUTE FUNCTION test_fault_throttle();
