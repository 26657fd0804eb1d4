-- Fault injection for the project catalogue (t/backoffice/2*.t, see
-- t/sql/README); test_faults comes from 040_mobile_faults.sql.
--   'projects.insert': a new project named test_faults.mobile
--   'projects.audit':  an audit row of the action test_faults.mobile
--                      (project_create, project_update, project_delete)
DELIMITER //
CREATE TRIGGER test_fault_projects_insert BEFORE INSERT ON projects FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'projects.insert' AND mobile = NEW.name) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: projects.insert';
    END IF;
END//
CREATE TRIGGER test_fault_projects_audit BEFORE INSERT ON audit_log FOR EACH ROW
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'projects.audit' AND mobile = NEW.action) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test fault: projects.audit';
    END IF;
END//
DELIMITER ;
