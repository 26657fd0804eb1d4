// Chinese names of the API's codes.
export const KINDS = {
    'real-name': '实名认证',
    'educational-info': '学历信息',
    'job-info': '工作信息',
    'award-info': '获奖信息',
    'qualification': '资质认证',
};
export const REVIEW_STATUSES = [['0', '待审核'], ['1', '已通过'], ['2', '未通过']];
export const PROJECT_STATUSES = {
    registration: '报名中', ing: '进行中', end: '已结束', iteration: '迭代中',
};
// What a submission's fields are called (pictures are shown apart).
export const SUBMISSION_FIELDS = {
    actual_name: '真实姓名', certificate_type_id: '证件类型编号', id_number: '证件号码',
    institution: '院校', education_id: '学历编号', project_experience: '项目经验',
    organization: '单位', position_id: '职位编号', domain_id: '领域编号',
    competition: '竞赛名称', award_level_id: '获奖等级编号',
};
export const PICTURE_FIELDS = new Set(['authenticate_picture', 'award_picture', 'picture', 'pictures']);
export const AUDIT_ACTIONS = {
    register: '注册', login: '登录', login_failed: '登录失败', logout: '退出登录', refresh: '刷新令牌',
    password_check_failed: '密码校验失败', password_change_failed: '修改密码失败',
    password_change: '修改密码', password_reset: '重置密码', bind_email: '绑定邮箱',
    change_mobile: '更换手机号', change_email: '更换邮箱', id_verification: '身份证核验',
    qualification: '提交资质', user_update: '修改用户', contact_change_by_admin: '管理员修改联系方式',
    user_audit: '审核用户', user_delete: '删除用户', credit_change: '积分调整',
    review_approve: '审核通过', review_reject: '审核驳回', project_create: '创建项目',
    project_update: '修改项目', project_delete: '删除项目', admin_create: '创建管理员',
    admin_passwd: '管理员改密', admin_freeze: '冻结账号', admin_unfreeze: '解冻账号',
    admin_delete: '删除账号（工具）', username_migrated: '用户名迁移',
};
