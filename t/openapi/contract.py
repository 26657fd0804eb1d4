#!/usr/bin/python3
"""Contract check (TAP): every response the Apache::Test suite received
(t/logs/exchanges.jsonl, one JSON line per exchange, written by
Devplat::Test) is checked against the OpenAPI documents of openapi/.

Each exchange is placed by its path: the face by the longest <Location>
with DevplatApi in the httpd configuration (t/conf/extra.conf.in), then the
operation by method + path template below it. Its status must be one of the
operation's documented responses and its body must validate (JSON Schema
draft 2020-12) against that response's schema. An exchange that hits no
operation is classified explicitly:

  - a path of no operation: the face's generic NoSuchRoute (404) response;
  - a path of an operation but another method: MethodNotAllowed (405);
  - outside every DevplatApi location (stored files, the webhook sink):
    not part of the API, counted and listed, not validated;
  - httpd's own answer before the module ran (a request httpd refuses:
    bad framing, a body over LimitRequestBody, ...): an HTML body with one
    of HTTPD_STATUSES, counted and listed;
  - the gateway's refusal (401, 403, 503) in front of a DevplatApi location
    that AuthType devplat also protects: the API did not run; counted and
    listed (the gateway's own answers are tested by t/gateway/).

Anything else fails, naming the operation, the status, the JSON pointer in
the body and the test file that received it. One TAP test per operation
and status seen (and one per classification), plus one that every
exchange was classified.

    python3 t/openapi/contract.py [--conf t/conf/extra.conf.in] [--docs openapi] EXCHANGES.jsonl
"""
import argparse
import base64
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oaspec  # noqa: E402

from jsonschema import Draft202012Validator  # noqa: E402

# Statuses httpd answers itself, with its HTML error page, before a handler runs.
HTTPD_STATUSES = {400, 408, 411, 413, 414, 417, 431, 501}
SHOW = 3          # drifts shown per operation and status


def pointer(path):
    return '/' + '/'.join(str(p).replace('~', '~0').replace('/', '~1') for p in path) if path else '(the body)'


def redact(target):
    """A request target without its token (/token/<t>, ?token=)."""
    target = re.sub(r'(/token/)[^/?]+', r'\1…', target)
    return re.sub(r'([?&]token=)[^&]*', r'\1…', target)


def no_jwt(text):
    """text with every JWT cut to its first characters (a message may quote a body)."""
    return re.sub(r'eyJ[\w-]*\.[\w-]+\.[\w-]+', 'eyJ…', text)


def body_of(x):
    if 'body' in x:
        return x['body']
    if 'body_base64' in x:
        return base64.b64decode(x['body_base64']).decode('latin-1')
    return None


def closest(e):
    """The errors to show for e: for a oneOf/anyOf that no branch matched,
    those of the branch that came closest (fewest errors), recursively, so
    the message names the field that drifted rather than the whole body."""
    if e.validator not in ('oneOf', 'anyOf') or not e.context:
        return [e]
    branches = {}
    for sub in e.context:
        branches.setdefault(sub.schema_path[0] if sub.schema_path else 0, []).append(sub)
    best = min(branches.values(), key=len)
    out = []
    for sub in best:
        out.extend(closest(sub))
    return out


class Checker:
    def __init__(self, conf, docs):
        self.locs = oaspec.locations(conf)
        self.gated = oaspec.gated(conf)
        self.docs, self.load_errors = {}, []
        for f in oaspec.FACES:
            try:
                self.docs[f] = oaspec.load(f, docs)
            except Exception as e:          # a missing file, a YAML error
                self.load_errors.append('openapi/%s.yaml: %s' % (f, e))
        self.ops = {f: oaspec.operations(f, d) for f, d in self.docs.items()}
        self.validators = {}

    def validator(self, key, schema):
        v = self.validators.get(key)
        if v is None:
            Draft202012Validator.check_schema(schema)
            v = self.validators[key] = Draft202012Validator(schema)
        return v

    def check_body(self, x, response, where):
        """[problem, ...] of a response body against a response object."""
        content = response.get('content')
        ctype = (x.get('content_type') or '').split(';')[0].strip().lower()
        body = body_of(x)
        if not content:
            return [] if not body else ['%s: a body where the document says none' % where]
        if ctype not in content:
            return ['%s: Content-Type %r is not one of %s' % (where, x.get('content_type'), sorted(content))]
        schema = content[ctype].get('schema')
        if schema is None:
            return []
        if body is None:
            return ['%s: the body was not recorded (%s bytes)' % (where, x.get('length'))]
        try:
            value = json.loads(body)
        except ValueError as e:
            return ['%s: the body is not JSON (%s): %.80r' % (where, e, body)]
        v = self.validator(where, schema)
        errs = []
        for e in v.iter_errors(value):
            errs.extend(closest(e))
        errs.sort(key=lambda e: (len(e.absolute_path), str(list(e.absolute_path))))
        out = []
        for e in errs[:SHOW]:
            msg = e.message if len(e.message) < 300 else e.message[:300] + '...'
            out.append('%s: at %s: %s' % (where, pointer(list(e.absolute_path)), msg))
        return out

    def classify(self, x):
        """(group, problems) for one exchange."""
        method = x.get('method', '?')
        target = x.get('target', '')
        path = target.split('?', 1)[0]
        status = int(x.get('status') or 0)
        face, loc, rest = oaspec.face_of(self.locs, path)
        ctype = (x.get('content_type') or '').split(';')[0].strip().lower()
        if status == 0:
            return ('no answer (the connection closed before a status line)', [])
        if face is None:
            return ('outside every DevplatApi location (not part of the API)', [])
        if face not in self.docs:
            return ('%s: no document' % face, ['DevplatApi %s at %s: its document did not load' % (face, loc)])
        if loc in self.gated and status in (401, 403, 503):
            return ('%s %d: the gateway\'s refusal (AuthType devplat at %s; the API did not run)'
                    % (face, status, loc), [])
        if ctype == 'text/html' and status in HTTPD_STATUSES:
            return ('%s %d: httpd\'s own answer (the module did not run)' % (face, status), [])
        head = method == 'HEAD'
        # HEAD is answered by the GET operation, without a body (the router)
        op, known = oaspec.find(self.ops[face], 'GET' if head else method, rest)
        if op is None:
            comp = self.docs[face]['components']['responses']
            if known:
                name, want = 'MethodNotAllowed', 405
            else:
                name, want = 'NoSuchRoute', 404
            group = '%s: %s (%d) for a request no operation takes' % (face, name, want)
            if status != want:
                return (group, ['%s %s answered %d: no operation takes it, and only %d (%s) is documented for that'
                                % (method, redact(target), status, want, name)])
            where = '%s components/responses/%s %d' % (face, name, status)
            return (group, self.check_body(x, oaspec.inline(self.docs[face], comp[name]), where))
        group = '%s %d%s' % (op, status, ' (HEAD)' if head else '')
        resp = op.response(status)
        if resp is None:
            return (group, ['%s: status %d is not documented for this operation' % (op, status)])
        if head:
            return (group, [] if not body_of(x) else ['%s: HEAD answered with a body' % op])
        return (group, self.check_body(x, resp, '%s %d' % (op, status)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--conf', default=os.path.join(oaspec.TOP, 't', 'conf', 'extra.conf.in'))
    ap.add_argument('--docs')
    ap.add_argument('exchanges')
    a = ap.parse_args()

    checker = Checker(a.conf, a.docs)
    groups = collections.OrderedDict()
    unreadable = []
    n = 0
    with open(a.exchanges, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            n += 1
            try:
                x = json.loads(line)
                group, problems = checker.classify(x)
            except (ValueError, KeyError, TypeError) as e:
                unreadable.append('line %d: %s' % (lineno, e))
                continue
            g = groups.setdefault(group, {'n': 0, 'bad': []})
            g['n'] += 1
            for p in problems:
                g['bad'].append('%s (%s %s, received by %s)' % (p, x.get('method'), redact(x.get('target', '')), x.get('file')))

    names = sorted(groups)
    print('1..%d' % (len(names) + 2))
    failed = 0
    i = 1
    if checker.load_errors:
        failed += 1
        print('not ok 1 - the documents load')
        for e in checker.load_errors:
            print('# ' + e)
    else:
        print('ok 1 - the documents load')
    for name in names:
        i += 1
        g = groups[name]
        if g['bad']:
            failed += 1
            print('not ok %d - %s: %d of %d response(s) drift from the document' % (i, name, len(g['bad']), g['n']))
            for p in g['bad'][:SHOW]:
                print('# ' + no_jwt(p))
        else:
            print('ok %d - %s: %d response(s)' % (i, name, g['n']))
    i += 1
    if n == 0 or unreadable:
        print('not ok %d - every exchange was read and classified (%d exchanges)' % (i, n))
        for u in unreadable[:SHOW]:
            print('# unreadable: ' + u)
        failed += 1
    else:
        print('ok %d - every exchange was read and classified (%d exchanges)' % (i, n))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
