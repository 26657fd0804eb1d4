-- Fault injection for the project catalogue (t/backoffice/2*.t, see
-- t/sql/README); test_faults comes from 040_mobile_faults.sql.
--   'projects.insert': a new project named test_faults.mobile
--   'projects.audit':  an audit row of the action test_faults.mobile
--                      (project_create, project_update, project_delete)
CREATE FUNCTION test_fault_projects_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'projects.insert' AND mobile = NEW.name) THEN
        RAISE EXCEPTION 'test fault: projects.insert';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_fault_projects_insert BEFORE INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION test_fault_projects_insert();
CREATE FUNCTION test_fault_projects_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM test_faults WHERE what = 'projects.audit' AND mobile = NEW.action) THEN
        RAISE EXCEPTION 'test fault: projects.audit';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_fault_projects_audit BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION test_fault_projects_audit();
