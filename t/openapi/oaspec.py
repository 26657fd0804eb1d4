"""The OpenAPI documents of openapi/ as the checks in t/openapi/ use them.

One document per face: developer.yaml, admin.yaml, mobile.yaml. Each
operation's path is relative to the face's <Location> (the document's
servers[0].url in production; the test configuration's <Location> in the
suite), as the route table in modules/api/routes.c writes it.
"""
import copy
import os
import re

import yaml

FACES = ('developer', 'admin', 'mobile')
METHODS = ('get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace')

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


def load(face, directory=None):
    path = os.path.join(directory or os.path.join(TOP, 'openapi'), face + '.yaml')
    with open(path, encoding='utf-8') as f:
        return yaml.safe_load(f)


def pointer_get(doc, ref):
    if not ref.startswith('#/'):
        raise ValueError('only local references are used: %s' % ref)
    node = doc
    for part in ref[2:].split('/'):
        node = node[part.replace('~1', '/').replace('~0', '~')]
    return node


def inline(doc, node, seen=()):
    """node with every local $ref replaced by a copy of its target."""
    if isinstance(node, dict):
        if '$ref' in node:
            ref = node['$ref']
            if ref in seen:
                raise ValueError('recursive reference %s' % ref)
            target = inline(doc, pointer_get(doc, ref), seen + (ref,))
            rest = {k: v for k, v in node.items() if k != '$ref'}
            if rest and isinstance(target, dict):
                target = dict(target, **inline(doc, rest, seen))
            return target
        return {k: inline(doc, v, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [inline(doc, v, seen) for v in node]
    return copy.deepcopy(node)


class Operation:
    def __init__(self, face, doc, path, method, op):
        self.face, self.doc, self.path, self.method, self.op = face, doc, path, method.upper(), op
        self.id = op.get('operationId', '%s %s' % (self.method, path))
        # a {param} is one path segment, as the router matches it
        rx = ''
        for piece in re.split(r'(\{[^}/]+\})', path):
            rx += '[^/]+' if piece.startswith('{') and piece.endswith('}') else re.escape(piece)
        self.regex = re.compile('^' + rx + '$')
        self.templated = '{' in path

    def response(self, status):
        """The response object for an HTTP status, resolved (None if undocumented)."""
        rs = self.op.get('responses', {})
        for key in (str(status), '%dXX' % (status // 100), 'default'):
            if key in rs:
                return inline(self.doc, rs[key])
        return None

    def __str__(self):
        return '%s %s %s (%s)' % (self.face, self.method, self.path, self.id)


def operations(face, doc):
    ops = []
    for path, item in (doc.get('paths') or {}).items():
        if '$ref' in item:
            item = pointer_get(doc, item['$ref'])
        for method in METHODS:
            if method in item:
                ops.append(Operation(face, doc, path, method, item[method]))
    return ops


def find(ops, method, rest):
    """(operation, path_known): the operation for method + path below the
    location; a concrete path wins over a templated one, as OpenAPI says."""
    hits = [o for o in ops if o.regex.match(rest)]
    hits.sort(key=lambda o: o.templated)
    known = bool(hits)
    for o in hits:
        if o.method == method:
            return o, known
    return None, known


# ------------------------------------------------------------------ routes.c

def routes(path=None):
    """[(face, METHOD, path)] of modules/api/routes.c, the MOBILE() macro
    expanded as the C preprocessor does."""
    path = path or os.path.join(TOP, 'modules', 'api', 'routes.c')
    with open(path, encoding='utf-8') as f:
        text = f.read()
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    macro = re.search(r'#define MOBILE\(method, action, fn\)(?:[^\n]*\\\n)*[^\n]*', text)
    variants = []
    if macro:
        body = macro.group(0)
        for m in re.finditer(r'\{method,\s*((?:"[^"]*"\s*)*)action((?:\s*"[^"]*")*)\s*,\s*fn\}', body):
            variants.append((''.join(re.findall(r'"([^"]*)"', m.group(1))),
                             ''.join(re.findall(r'"([^"]*)"', m.group(2)))))
    out = []
    tables = {'developer_routes': 'developer', 'admin_routes': 'admin', 'mobile_routes': 'mobile'}
    for m in re.finditer(r'static const devplat_route (\w+)\[\]\s*=\s*\{(.*?)\n\};', text, re.S):
        face = tables.get(m.group(1))
        if not face:
            raise ValueError('unknown route table %s' % m.group(1))
        for entry in re.finditer(r'MOBILE\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*\w+\s*\)'
                                 r'|\{\s*"([A-Z]+)"\s*,\s*"([^"]*)"\s*,\s*\w+\s*\}', m.group(2)):
            if entry.group(1):
                if not variants:
                    raise ValueError('MOBILE() used but its definition was not understood')
                for pre, post in variants:
                    out.append((face, entry.group(1), '/' + pre + entry.group(2) + post))
            else:
                out.append((face, entry.group(3), '/' + entry.group(4)))
    return out


# ------------------------------------------------------------------ locations

def locations(conf):
    """{'/prefix': face} from the <Location> blocks of an httpd configuration
    that say DevplatApi."""
    out = {}
    with open(conf, encoding='utf-8') as f:
        text = f.read()
    for m in re.finditer(r'<Location\s+"?([^">\s]+)"?\s*>(.*?)</Location>', text, re.S | re.I):
        api = re.search(r'^\s*DevplatApi\s+(\w+)', m.group(2), re.M)
        if api:
            out[m.group(1).rstrip('/') or '/'] = api.group(1)
    return out


def gated(conf):
    """The <Location> prefixes of an httpd configuration that put
    AuthType devplat in front of what they serve (a DevplatApi face too)."""
    out = set()
    with open(conf, encoding='utf-8') as f:
        text = f.read()
    for m in re.finditer(r'<Location\s+"?([^">\s]+)"?\s*>(.*?)</Location>', text, re.S | re.I):
        if re.search(r'^\s*AuthType\s+devplat\s*$', m.group(2), re.M | re.I):
            out.add(m.group(1).rstrip('/') or '/')
    return out


def face_of(locs, path):
    """(face, location, rest) of a request path, by the longest <Location>
    it lies in (at a segment boundary), or (None, None, path)."""
    best = None
    for loc in locs:
        if path == loc or path.startswith(loc + '/'):
            if best is None or len(loc) > len(best):
                best = loc
    if best is None:
        return None, None, path
    return locs[best], best, path[len(best):]
