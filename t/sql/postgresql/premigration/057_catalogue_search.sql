-- Projects of a release before migration 057 (the catalogue's search
-- index): t/engine/migration_057.t checks the terms 057 built for them in
-- SQL (the rules of modules/core/search_terms.h: case folding of ASCII and
-- full-width letters, the bucket of other cased letters, supplementary
-- ideographs, %, _ and !) and the count of live projects it took.
-- The Kelvin sign (U+212A) is written in the name's 'Kelvin'.
INSERT INTO projects (name, status, purchase_budget, introduction, domain, research_direction,
                      level, delivery_at, created_at, updated_at) VALUES
    ('premig57 电梯安全 ElevatorS', 'ing', 1, '简介：100% 合格率_第1版！', '工地', '人脸', 1,
     '2030-01-01 00:00:00', '2025-02-01 00:00:00', '2025-02-01 00:00:00'),
    ('premig57 全角ＡＢＣ', 'end', 2, 'Ｆｕｌｌ－ｗｉｄｔｈ，（括号）', '零售', 'OCR', 1,
     '2030-01-01 00:00:00', '2025-02-01 00:00:01', '2025-02-01 00:00:01'),
    ('premig57 İstanbul Kelvin Café', 'registration', 3, 'ÉCOLE école ΣΟΦΊΑ', 'Factory', 'a!b%c_d', 1,
     '2030-01-01 00:00:00', '2025-02-01 00:00:02', '2025-02-01 00:00:02'),
    ('premig57 𠮷野家', 'iteration', 4, '', '', '', 1,
     '2030-01-01 00:00:00', '2025-02-01 00:00:03', '2025-02-01 00:00:03'),
    ('premig57 x', 'ing', 5, 'a', 'b', 'c', 1,
     '2030-01-01 00:00:00', '2025-02-01 00:00:04', '2025-02-01 00:00:04');
