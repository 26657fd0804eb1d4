#!/usr/bin/python3
"""Route parity (TAP): every route of modules/api/routes.c has an operation
(method + path, in its face's document under openapi/) and every operation
of the three documents is a route.

    python3 t/openapi/parity.py [--routes modules/api/routes.c] [--docs openapi]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oaspec  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--routes')
    ap.add_argument('--docs')
    a = ap.parse_args()

    tests = []
    try:
        routes = oaspec.routes(a.routes)
    except (OSError, ValueError) as e:
        routes = []
        tests.append((False, 'routes.c parses', str(e)))
    ops = {}
    for face in oaspec.FACES:
        try:
            doc = oaspec.load(face, a.docs)
            ops[face] = oaspec.operations(face, doc)
            tests.append((bool(ops[face]), '%s.yaml has operations' % face, ''))
        except (OSError, ValueError, Exception) as e:  # yaml errors are Exceptions
            ops[face] = []
            tests.append((False, '%s.yaml loads' % face, str(e)))
    for face in oaspec.FACES:
        tests.append((any(r[0] == face for r in routes), 'routes.c has routes of the %s face' % face, ''))

    have_route = set(routes)
    have_op = {(o.face, o.method, o.path) for face in ops for o in ops[face]}
    for r in routes:
        tests.append((r in have_op, 'route %s %s %s has an operation in openapi/%s.yaml' % (r[0], r[1], r[2], r[0]),
                      'add paths["%s"].%s to openapi/%s.yaml' % (r[2], r[1].lower(), r[0])))
    for face in oaspec.FACES:
        for o in ops[face]:
            key = (o.face, o.method, o.path)
            tests.append((key in have_route, 'operation %s is a route of modules/api/routes.c' % o,
                          'no route %s "%s" in the %s table of routes.c' % (o.method, o.path.lstrip('/'), face)))
    dup = len(routes) - len(have_route)
    tests.append((dup == 0, 'routes.c lists no route twice', '%d duplicate(s)' % dup))

    print('1..%d' % len(tests))
    failed = 0
    for i, (ok, name, why) in enumerate(tests, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
        if not ok:
            failed += 1
            if why:
                print('# ' + why)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
