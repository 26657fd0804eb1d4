-- Fault injection for the project catalogue (t/backoffice/2*.t, see
-- t/sql/README); test_faults comes from 040_mobile_faults.sql.
--   'projects.insert': a new project named test_faults.mobile
--   'projects.audit':  an audit row of the action test_faults.mobile
--                      (project_create, project_update, project_delete)
CREATE TRIGGER test_fault_projects_insert BEFORE INSERT ON projects
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'projects.insert' AND mobile = NEW.name)
BEGIN SELECT RAISE(ABORT, 'test fault: projects.insert'); END;
CREATE TRIGGER test_fault_projects_audit BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM test_faults WHERE what = 'projects.audit' AND mobile = NEW.action)
BEGIN SELECT RAISE(ABORT, 'test fault: projects.audit'); END;
