#!/usr/bin/python3
"""The receiver of account events the tests of t/events post to.

    receiver.py PORT LOG MODE_FILE

Listens on 127.0.0.1:PORT (0: a free port, printed on the first line of
standard output), appends one JSON line per request to LOG ({"at": Unix
seconds, "path", "headers": {lower-case name: value}, "body", "status", "slow"}) on
arrival and answers 200, or what MODE_FILE says when it exists: "500"
answers 500, "slow N" waits N seconds before answering 200 (status 200 is
then recorded whether or not the client still reads the answer).
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG, MODE = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def mode():
    try:
        with open(MODE) as f:
            return f.read().split()
    except OSError:
        return []


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(n).decode('utf-8', 'replace')
        m = mode()
        status = 500 if m and m[0] == '500' else 200
        # recorded on arrival: a slow answer may never be read
        record = {'at': time.time(), 'path': self.path, 'status': status, 'body': body,
                  'headers': {k.lower(): v for k, v in self.headers.items()},
                  'slow': bool(m and m[0] == 'slow')}
        with open(LOG, 'a') as f:
            f.write(json.dumps(record) + '\n')
        if m and m[0] == 'slow':
            time.sleep(float(m[1]))
        self.send_response(status)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer.allow_reuse_address = True
server = ThreadingHTTPServer(('127.0.0.1', PORT), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
