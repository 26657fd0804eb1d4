-- Participations of the release before migration 051, when one had no
-- instance until somebody inserted it: t/engine/migration.t checks that
-- 051 gave premig_case_a's the instance it lacked ('creating', named after
-- the project) and left premig_upper's provisioned one alone.
INSERT INTO projects (name, status, purchase_budget, introduction, domain, research_direction,
                      level, delivery_at, created_at, updated_at) VALUES
    ('premig 迁移项目', 'ing', 1000, '迁移前的项目', '工地', '人脸', 1,
     '2030-01-01 00:00:00', '2025-01-02 00:00:00', '2025-01-02 00:00:00');

INSERT INTO project_participations (user_id, project_id, created_at, updated_at)
    SELECT u.id, p.id, '2025-01-03 00:00:00', '2025-01-03 00:00:00'
    FROM users u, projects p WHERE u.username = 'premig_case_a' AND p.name = 'premig 迁移项目';
INSERT INTO project_participations (user_id, project_id, created_at, updated_at)
    SELECT u.id, p.id, '2025-01-04 00:00:00', '2025-01-04 00:00:00'
    FROM users u, projects p WHERE u.username = 'premig_upper' AND p.name = 'premig 迁移项目';

INSERT INTO project_instances (participation_id, name, gpu, cpu, ram, minutes, consumption_points,
                               status, created_at, updated_at)
    SELECT pp.id, 'premig 实例', 2, 8, 32, 90, 1200, 'training', '2025-01-05 00:00:00', '2025-01-05 00:00:00'
    FROM project_participations pp JOIN users u ON u.id = pp.user_id WHERE u.username = 'premig_upper';
