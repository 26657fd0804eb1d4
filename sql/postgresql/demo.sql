-- Demo data for the quick start (scripts/prepare-var.sh applies it to a new
-- database after the numbered schema files). Never part of a production
-- schema: the test suite never applies it; production databases should not.
-- The demo user: demo / demo123456 (level 2, mobile 13800138000, e-mail
-- demo@example.com) with participations, images and credit records.
-- Rows refer to each other by name, never by id, so the file applies to a
-- fresh database on every engine.

INSERT INTO users (username, mobile, email, password, avatar, level, status, is_admin, created_at, updated_at) VALUES
    ('demo', '13800138000', 'demo@example.com', '$2y$10$WxDG168hUCwKSbfAq5S3Ruc0z.BmV6bp4.dprbP.Dq/H2jwxIDgYK', '', 2, 0, 0, '2024-03-01 09:00:00', '2024-03-01 09:00:00');

-- 28 projects in all four statuses
INSERT INTO projects (name, status, purchase_budget, introduction, domain, research_direction, level, delivery_at, created_at, updated_at) VALUES
    ('安全工地：安全帽识别', 'registration', 20000, '识别施工现场人员是否佩戴安全帽，未佩戴时实时告警', '工地', '目标检测', 1, '2025-06-30 18:00:00', '2024-01-08 10:00:00', '2024-01-08 10:00:00'),
    ('安全工地：反光衣检测', 'registration', 18000, '夜间及隧道作业场景下检测作业人员是否穿着反光衣', '工地', '目标检测', 1, '2025-07-15 18:00:00', '2024-01-15 10:30:00', '2024-01-15 10:30:00'),
    ('安全工地：临边防护缺失识别', 'ing', 35000, '识别高处作业临边防护栏缺失或被拆除的情况', '工地', '语义分割', 2, '2025-05-31 18:00:00', '2024-01-22 09:00:00', '2024-01-22 09:00:00'),
    ('明火烟雾检测', 'ing', 50000, '厂区、仓库与园区的明火和烟雾早期发现，支持远距离小目标', '工厂', '目标检测', 2, '2025-04-30 18:00:00', '2024-02-02 14:00:00', '2024-02-02 14:00:00'),
    ('人员越界检测', 'end', 12000, '电子围栏内人员闯入检测，支持任意多边形区域配置', '园区', '行为分析', 1, '2024-09-30 18:00:00', '2024-02-10 11:00:00', '2024-02-10 11:00:00'),
    ('智慧交通：车牌识别', 'iteration', 40000, '卡口与停车场场景的车牌检测与字符识别，支持新能源车牌', '交通', 'OCR', 2, '2025-03-31 18:00:00', '2024-02-19 16:00:00', '2024-02-19 16:00:00'),
    ('非机动车闯红灯检测', 'registration', 26000, '路口非机动车闯红灯行为识别与抓拍', '交通', '目标跟踪', 2, '2025-08-31 18:00:00', '2024-03-01 10:00:00', '2024-03-01 10:00:00'),
    ('电动车进电梯识别', 'ing', 15000, '电梯轿厢内电动自行车检测，联动梯控阻止关门', '社区', '图像分类', 1, '2025-02-28 18:00:00', '2024-03-08 09:30:00', '2024-03-08 09:30:00'),
    ('垃圾满溢检测', 'end', 9000, '小区与街道垃圾桶满溢、垃圾散落识别', '城管', '目标检测', 1, '2024-08-31 18:00:00', '2024-03-15 15:00:00', '2024-03-15 15:00:00'),
    ('占道经营识别', 'iteration', 22000, '街面流动摊贩与店外经营识别，按时段统计', '城管', '目标检测', 2, '2025-01-31 18:00:00', '2024-03-22 10:00:00', '2024-03-22 10:00:00'),
    ('渣土车未覆盖检测', 'registration', 30000, '工地出入口渣土车车斗未覆盖篷布识别', '交通', '图像分类', 2, '2025-09-30 18:00:00', '2024-04-01 08:30:00', '2024-04-01 08:30:00'),
    ('明厨亮灶：厨师帽识别', 'ing', 8000, '后厨人员未佩戴厨师帽、口罩识别', '明厨亮灶', '目标检测', 1, '2025-01-15 18:00:00', '2024-04-09 13:00:00', '2024-04-09 13:00:00'),
    ('明厨亮灶：老鼠检测', 'end', 16000, '夜间后厨红外画面中的老鼠出没检测', '明厨亮灶', '目标检测', 2, '2024-10-31 18:00:00', '2024-04-16 10:00:00', '2024-04-16 10:00:00'),
    ('加油站抽烟检测', 'registration', 24000, '加油区域人员吸烟行为识别与语音告警', '加油站', '行为分析', 2, '2025-10-31 18:00:00', '2024-04-25 17:00:00', '2024-04-25 17:00:00'),
    ('加油站打电话检测', 'ing', 21000, '加油区域接打电话行为识别', '加油站', '行为分析', 2, '2025-03-15 18:00:00', '2024-05-06 09:00:00', '2024-05-06 09:00:00'),
    ('值班人员睡岗识别', 'iteration', 14000, '监控室与值班室人员睡岗、离岗识别', '工厂', '姿态估计', 1, '2025-02-15 18:00:00', '2024-05-13 10:00:00', '2024-05-13 10:00:00'),
    ('老人摔倒检测', 'registration', 45000, '养老院与社区公共区域老人摔倒实时检测', '社区', '姿态估计', 3, '2025-11-30 18:00:00', '2024-05-20 14:30:00', '2024-05-20 14:30:00'),
    ('人员聚集识别', 'end', 11000, '广场与出入口人员异常聚集密度估计', '城管', '目标检测', 1, '2024-07-31 18:00:00', '2024-05-27 11:00:00', '2024-05-27 11:00:00'),
    ('河道漂浮物检测', 'ing', 28000, '河道水面垃圾、水草等漂浮物识别与面积估算', '水利', '语义分割', 2, '2025-06-15 18:00:00', '2024-06-03 09:00:00', '2024-06-03 09:00:00'),
    ('高空作业安全绳识别', 'registration', 33000, '高处作业人员是否系挂安全带、安全绳识别', '工地', '目标检测', 3, '2025-12-31 18:00:00', '2024-06-12 10:00:00', '2024-06-12 10:00:00'),
    ('工服合规识别', 'iteration', 13000, '车间人员工服、工帽穿戴合规性识别', '工厂', '图像分类', 1, '2025-01-31 18:00:00', '2024-06-20 15:00:00', '2024-06-20 15:00:00'),
    ('货架缺货检测', 'ing', 38000, '商超货架空缺位置检测与补货提醒', '零售', '目标检测', 2, '2025-05-15 18:00:00', '2024-07-01 10:00:00', '2024-07-01 10:00:00'),
    ('门店客流统计', 'end', 19000, '门店进出客流计数与去重，输出小时级报表', '零售', '目标跟踪', 1, '2024-12-31 18:00:00', '2024-07-10 09:30:00', '2024-07-10 09:30:00'),
    ('叉车超速检测', 'registration', 27000, '仓库叉车行驶速度估计与超速告警', '工厂', '目标跟踪', 3, '2026-01-31 18:00:00', '2024-07-18 14:00:00', '2024-07-18 14:00:00'),
    ('皮带跑偏检测', 'iteration', 36000, '煤矿与港口输送皮带跑偏、撒料识别', '工厂', '语义分割', 3, '2025-04-15 18:00:00', '2024-07-29 10:00:00', '2024-07-29 10:00:00'),
    ('路面裂缝检测', 'ing', 42000, '巡检车采集路面图像中的裂缝、坑槽识别', '交通', '语义分割', 2, '2025-07-31 18:00:00', '2024-08-08 11:00:00', '2024-08-08 11:00:00'),
    ('口罩佩戴识别', 'end', 6000, '公共场所人员口罩佩戴情况识别', '社区', '人脸识别', 1, '2024-06-30 18:00:00', '2024-08-19 16:00:00', '2024-08-19 16:00:00'),
    ('排队长度估计', 'registration', 17000, '营业厅与收费站排队人数与长度估计', '零售', '目标检测', 1, '2025-09-15 18:00:00', '2024-08-28 10:00:00', '2024-08-28 10:00:00');

-- the demo user's counters towards level 3
INSERT INTO user_growth (user_id, experience, business_algorithm, algorithm_type, updated_at)
    SELECT id, 1850, 1, 2, '2024-09-01 10:00:00' FROM users WHERE username = 'demo';

-- credits: integral = 100 + 200 + 500 - 120 + 300 - 80 - 60 + 150 = 990
-- (general 670, dedicated 320)
INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at)
    SELECT id, 100, 1, 0, '完成注册获取积分', '2024-03-01 09:00:00', '2024-03-01 09:00:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 200, 1, 0, '完成实名认证', '2024-03-02 10:15:00', '2024-03-02 10:15:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 500, 1, 1, '项目专用积分：安全工地：安全帽识别', '2024-03-05 14:00:00', '2024-03-05 14:00:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 120, 0, 1, '实例消耗积分：安全工地：安全帽识别', '2024-03-20 18:30:00', '2024-03-20 18:30:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 300, 1, 0, '算法上架奖励：安全帽识别v1', '2024-04-12 11:00:00', '2024-04-12 11:00:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 80, 0, 0, '购买GPU时长', '2024-05-08 09:45:00', '2024-05-08 09:45:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 60, 0, 1, '实例消耗积分：明火烟雾检测', '2024-06-18 16:20:00', '2024-06-18 16:20:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 150, 1, 0, '完成新手任务', '2024-07-01 08:00:00', '2024-07-01 08:00:00' FROM users WHERE username = 'demo';

-- the totals the account core keeps with the records (058_credit_totals.sql)
UPDATE users SET
    general_integral = (SELECT COALESCE(SUM(CASE WHEN c.is_positive_growth = 1 THEN c.amount ELSE -c.amount END), 0)
                        FROM credit_records c WHERE c.user_id = users.id AND c.dedicated = 0),
    dedicated_integral = (SELECT COALESCE(SUM(CASE WHEN c.is_positive_growth = 1 THEN c.amount ELSE -c.amount END), 0)
                          FROM credit_records c WHERE c.user_id = users.id AND c.dedicated <> 0)
WHERE username = 'demo';

-- images: 39.6 GB of the 150 GB level 2 grants
INSERT INTO mirrors (user_id, name, tag, size_bytes, remark, created_at, updated_at)
    SELECT id, 'tensorflow基础镜像', '1.0.0', 20500000000, 'tensorflow基础镜像安装基础扩展', '2024-03-10 10:00:00', '2024-03-10 10:00:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 'pytorch训练镜像', '2.1-cuda11.8', 12800000000, 'PyTorch 2.1、CUDA 11.8、cuDNN 8，含常用数据增强库', '2024-04-02 15:30:00', '2024-04-02 15:30:00' FROM users WHERE username = 'demo'
    UNION ALL
    SELECT id, 'yolov8部署镜像', '8.0.200', 6300000000, 'YOLOv8推理服务，TensorRT加速', '2024-06-25 09:10:00', '2024-06-25 09:10:00' FROM users WHERE username = 'demo';

-- participations (project levels 1 and 2: the demo user is level 2)
INSERT INTO project_participations (user_id, project_id, created_at, updated_at)
    SELECT u.id, p.id, '2024-03-05 14:00:00', '2024-03-05 14:00:00' FROM users u, projects p WHERE u.username = 'demo' AND p.name = '安全工地：安全帽识别'
    UNION ALL
    SELECT u.id, p.id, '2024-06-10 09:00:00', '2024-06-10 09:00:00' FROM users u, projects p WHERE u.username = 'demo' AND p.name = '明火烟雾检测'
    UNION ALL
    SELECT u.id, p.id, '2024-06-28 10:30:00', '2024-06-28 10:30:00' FROM users u, projects p WHERE u.username = 'demo' AND p.name = '电动车进电梯识别'
    UNION ALL
    SELECT u.id, p.id, '2024-07-15 13:00:00', '2024-07-15 13:00:00' FROM users u, projects p WHERE u.username = 'demo' AND p.name = '门店客流统计';

-- instances: the database made one with each participation ('creating',
-- no resources: migration 051); three of them are provisioned since.
-- 2 x 90 + 45 + 120 = 345 of the 600 GPU minutes of level 2 (the last
-- participation's instance is still being created)
UPDATE project_instances SET name = '安全帽识别', gpu = 2, cpu = 8, ram = 32, minutes = 90,
       consumption_points = 1200, status = 'training'
    WHERE participation_id = (SELECT pp.id FROM project_participations pp JOIN users u ON u.id = pp.user_id
                              JOIN projects p ON p.id = pp.project_id
                              WHERE u.username = 'demo' AND p.name = '安全工地：安全帽识别');
UPDATE project_instances SET name = '烟火检测', gpu = 1, cpu = 4, ram = 16, minutes = 45,
       consumption_points = 600, status = 'coding'
    WHERE participation_id = (SELECT pp.id FROM project_participations pp JOIN users u ON u.id = pp.user_id
                              JOIN projects p ON p.id = pp.project_id
                              WHERE u.username = 'demo' AND p.name = '明火烟雾检测');
UPDATE project_instances SET name = '电梯电动车分类', gpu = 1, cpu = 4, ram = 16, minutes = 120,
       consumption_points = 800, status = 'finished_test'
    WHERE participation_id = (SELECT pp.id FROM project_participations pp JOIN users u ON u.id = pp.user_id
                              JOIN projects p ON p.id = pp.project_id
                              WHERE u.username = 'demo' AND p.name = '电动车进电梯识别');

-- The search index of these projects is not written here: after loading
-- this file, run devplat-admin project reindex (scripts/prepare-var.sh does
-- for the quick start), which writes the terms by the module's own rules.
