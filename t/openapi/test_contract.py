#!/usr/bin/python3
"""Tests of the contract checker itself (TAP): a response that drifts from
its schema must fail, naming the operation, the status and the JSON
pointer; what matches must pass; nothing may be skipped silently.

    python3 t/openapi/test_contract.py
"""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import contract  # noqa: E402
import oaspec  # noqa: E402

CONF = os.path.join(oaspec.TOP, 't', 'conf', 'extra.conf.in')
checker = contract.Checker(CONF, None)
results = []


def ex(method, target, status, body, ctype='application/json'):
    x = {'method': method, 'target': target, 'status': status, 'content_type': ctype, 'file': 'self-test'}
    if body is not None:
        x['body'] = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return x


def check(name, x, want_ok, *needles):
    group, problems = checker.classify(x)
    ok = (not problems) == want_ok
    text = ' | '.join(problems)
    for n in needles:
        if n not in text:
            ok = False
    results.append((ok, name, '%s: %s' % (group, text or 'no problem')))


USER = {'id': 7, 'username': 'alice', 'avatar': '', 'level': 1, 'integral': 100,
        'created_at': '2026-12-01 10:00:00', 'updated_at': '2026-12-01 10:00:00'}
ME_OK = {'status_code': 200, 'message': '操作成功', 'data': USER}

check('GET /api/me as documented passes', ex('GET', '/api/me', 200, ME_OK), True)
check('a query string does not change the operation', ex('GET', '/api/me?x=1', 200, ME_OK), True)
drift = dict(ME_OK, data=dict(USER, integral='100'))
check('an integer sent as a string fails at its pointer', ex('GET', '/api/me', 200, drift), False,
      'developer GET /me (me) 200', '/data/integral', "'100' is not of type 'integer'")
missing = dict(ME_OK, data={k: v for k, v in USER.items() if k != 'avatar'})
check('a missing field fails', ex('GET', '/api/me', 200, missing), False, "'avatar' is a required property")
extra = dict(ME_OK, data=dict(USER, password='$2y$12$x'))
check('an undocumented field fails (additionalProperties)', ex('GET', '/api/me', 200, extra), False, 'password')
check('a null where a string is documented fails', ex('GET', '/api/me', 200, dict(ME_OK, data=dict(USER, avatar=None))), False,
      '/data/avatar')
check('a wrong date format fails', ex('GET', '/api/me', 200, dict(ME_OK, data=dict(USER, created_at='2026-12-01T10:00:00Z'))),
      False, '/data/created_at')
check('an undocumented status fails', ex('GET', '/api/me', 409, {'status_code': 409, 'message': 'x'}), False,
      'status 409 is not documented')
check('a documented failure in its envelope passes', ex('GET', '/api/me', 401, {'status_code': 401, 'message': '令牌认证失败'}), True)
check('a failure with data fails', ex('GET', '/api/me', 401, {'status_code': 401, 'message': 'x', 'data': ''}), False, '/')
check('a body that is not JSON fails', ex('GET', '/api/me', 200, '<html>', 'text/html'), False, 'Content-Type')
check('a JSON media type with a broken body fails', ex('GET', '/api/me', 200, '{"status_code":'), False, 'not JSON')
check('an unknown path answered 404 in the envelope passes',
      ex('GET', '/api/no/such/thing', 404, {'status_code': 404, 'message': '查询数据不存在'}), True)
check('an unknown path answered 200 fails', ex('GET', '/api/no/such/thing', 200, ME_OK), False, 'no operation takes it')
check('another method on a known path answered 405 passes',
      ex('POST', '/api/me', 405, {'status_code': 405, 'message': '请求方法不被允许'}), True)
check('a 405 outside its envelope fails', ex('POST', '/api/me', 405, {'error': 'x'}), False, 'MethodNotAllowed')
check('a path parameter matches one segment', ex('GET', '/api/project/base/1/2', 404, {'status_code': 404, 'message': 'x'}), True)
check('admin: success in its envelope passes',
      ex('DELETE', '/admin/api/user/3', 200, {'status': True, 'data': True, 'message': 'success', 'cmd': 'user/3'}), True)
check('admin: data of the wrong type fails',
      ex('DELETE', '/admin/api/user/3', 200, {'status': True, 'data': [], 'message': 'success', 'cmd': 'user/3'}), False, '/data')
MOK = {'data': '', 'info': '退出成功', 'code': 1000, 'state': 1}
check('mobile: /token/<t> is its own operation', ex('GET', '/Api/User/exit_login/token/eyJx', 200, MOK), True)
check('mobile: a failure code the operation does not document fails',
      ex('GET', '/Api/User/exit_login', 200, {'data': '', 'info': '该账号已存在', 'code': 1007, 'state': 2}), False,
      'exit_login', '/code')
check('mobile: state 1 with a failure code fails',
      ex('GET', '/Api/User/exit_login', 200, {'data': '', 'info': 'x', 'code': 999, 'state': 1}), False, '/')
check('HEAD takes the GET operation and must have no body', ex('HEAD', '/admin/api/captcha', 200, ''), True)
check('outside every DevplatApi location: classified, not validated', ex('GET', '/storage/avatar/x.png', 200, None, 'image/png'), True)
grp, _ = checker.classify(ex('GET', '/storage/avatar/x.png', 200, None, 'image/png'))
results.append(('not part of the API' in grp, 'files outside the API are classified by name', grp))
check("httpd's own HTML error page is classified", ex('POST', '/limited/login', 413, '<html>', 'text/html'), True)
check('an HTML page with another status fails', ex('GET', '/api/me', 200, '<html>', 'text/html'), False, 'Content-Type')

# the script as run-tests.sh runs it: a drifted exchange fails the run
with tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False) as f:
    f.write(json.dumps(ex('GET', '/api/me', 200, ME_OK)) + '\n')
    f.write(json.dumps(ex('GET', '/api/me', 200, drift)) + '\n')
    path = f.name
p = subprocess.run([sys.executable, os.path.join(here, 'contract.py'), path], capture_output=True, text=True)
results.append((p.returncode != 0 and 'not ok' in p.stdout and '/data/integral' in p.stdout,
                'contract.py exits non-zero and names the drift', p.stdout[-400:]))
with open(path, 'w') as f:
    f.write(json.dumps(ex('GET', '/api/me', 200, ME_OK)) + '\n')
p = subprocess.run([sys.executable, os.path.join(here, 'contract.py'), path], capture_output=True, text=True)
results.append((p.returncode == 0 and 'not ok' not in p.stdout, 'contract.py passes what matches', p.stdout[-400:]))
with open(path, 'w') as f:
    tok = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3In0.c2VjcmV0c2lnbmF0dXJl'
    f.write(json.dumps(ex('GET', '/Api/User/exit_login/token/' + tok, 200,
                          {'data': {'token': tok}, 'info': 'x', 'code': 1000, 'state': 1})) + '\n')
    f.write(json.dumps(ex('GET', '/Api/User/get_user_details?token=' + tok, 200, {'data': '', 'info': 'x', 'code': 7, 'state': 2})) + '\n')
p = subprocess.run([sys.executable, os.path.join(here, 'contract.py'), path], capture_output=True, text=True)
results.append((p.returncode != 0 and 'exit_login' in p.stdout and 'c2VjcmV0' not in p.stdout,
                'a drift report names the request but prints no token', p.stdout[-600:]))
with open(path, 'w') as f:
    pass
p = subprocess.run([sys.executable, os.path.join(here, 'contract.py'), path], capture_output=True, text=True)
results.append((p.returncode != 0, 'contract.py fails when no exchange was recorded', p.stdout[-400:]))
os.unlink(path)

print('1..%d' % len(results))
bad = 0
for i, (ok, name, detail) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        bad += 1
        print('# ' + detail.replace('\n', '\n# '))
sys.exit(1 if bad else 0)
