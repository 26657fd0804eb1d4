-- A participation carries its instance from the start (issue 11): 000
-- documents data.*.instance of 参与项目列表 as an object, never null, and
-- a new instance's status is 'creating'. The database creates the instance
-- in the statement that inserts the participation (a trigger), whoever
-- writes it; participations made before this migration get theirs here.
-- The instance is named after the project and starts with no resources
-- (gpu, cpu, ram, minutes and points 0); whoever provisions it updates the
-- row. Applied by tools/devplat-migrate in ONE transaction
-- (psql -X -v ON_ERROR_STOP=1 --single-transaction).

INSERT INTO project_instances (participation_id, name, status, created_at, updated_at)
    SELECT pp.id, COALESCE((SELECT p.name FROM projects p WHERE p.id = pp.project_id), ''),
           'creating', pp.created_at, pp.created_at
    FROM project_participations pp
    WHERE NOT EXISTS (SELECT 1 FROM project_instances i WHERE i.participation_id = pp.id);

CREATE FUNCTION project_participations_instance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO project_instances (participation_id, name, status, created_at, updated_at)
    VALUES (NEW.id, COALESCE((SELECT p.name FROM projects p WHERE p.id = NEW.project_id), ''),
            'creating', NEW.created_at, NEW.created_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER project_participations_instance AFTER INSERT ON project_participations
    FOR EACH ROW EXECUTE FUNCTION project_participations_instance();
