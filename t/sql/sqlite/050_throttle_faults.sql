-- 'login_throttle.write': the login throttle cannot record an attempt for
-- the account key in test_faults.mobile ("#user:<id>"), see t/sql/README.
CREATE TRIGGER test_fault_throttle_insert BEFORE INSERT ON login_throttle
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'login_throttle.write' AND mobile = NEW.account)
BEGIN SELECT RAISE(ABORT, 'test fault: login_throttle.write'); END;
CREATE TRIGGER test_fault_throttle_update BEFORE UPDATE ON login_throttle
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'login_throttle.write' AND mobile = NEW.account)
BEGIN SELECT RAISE(ABORT, 'test fault: login_throttle.write'); END;
