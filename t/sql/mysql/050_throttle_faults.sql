-- 'login_throttle.write': the login throttle cannot record an attempt for
-- the account key in test_faults.mobile ("#user:<id>"), see t/sql/README.
DELIMITER //
CREATE TRIGGER test_fault_throttle_insert BEFORE INSERT ON login_throttle FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'login_throttle.write' AND mobile = NEW.account) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: login_throttle.write';
    END IF;
END//
CREATE TRIGGER test_fault_throttle_update BEFORE UPDATE ON login_throttle FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'login_throttle.write' AND mobile = NEW.account) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: login_throttle.write';
    END IF;
END//
DELIMITER ;
