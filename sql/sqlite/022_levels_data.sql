-- The level ladder (lookup data shipped with the module; adjust to taste).
-- experience / business_algorithm / algorithm_type / project: conditions to
-- reach the level; gpu_minutes and mirror_space_gb: what the level grants.
INSERT INTO levels (level, name, experience, business_algorithm, algorithm_type, project, gpu_minutes, mirror_space_gb) VALUES
    (1, '见习开发者',     0, 0, 0, 0,   200,  100),
    (2, '初级开发者',  1200, 0, 0, 1,   600,  150),
    (3, '中级开发者',  5000, 1, 2, 3,  1500,  200),
    (4, '高级开发者', 15000, 3, 4, 6,  3000,  300),
    (5, '资深开发者', 40000, 6, 6, 10, 6000,  500),
    (6, '专家开发者', 100000, 10, 10, 20, 12000, 1000);
