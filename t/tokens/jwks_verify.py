#!/usr/bin/python3
"""Verifies a mod_devplat token the way another service would: with
python3-jwt (an independent JWT library) and nothing but the JWK Set the
server publishes. Also recomputes every key's RFC 7638 thumbprint.

usage: jwks_verify.py JWKS_FILE TOKEN
prints one JSON object: {"verified": bool, "error": str, "header": {...},
"claims": {...}, "thumbprints_ok": bool}; exits 0 when verified.
"""
import base64
import hashlib
import json
import sys

import jwt


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def thumbprint(jwk):
    names = ("crv", "kty", "x", "y") if jwk["kty"] == "EC" else ("crv", "kty", "x")
    members = {n: jwk[n] for n in names}
    text = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(text.encode()).digest())


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        jwks = json.load(f)
    token = sys.argv[2]
    out = {"verified": False, "error": "", "claims": {}}
    out["thumbprints_ok"] = all(thumbprint(k) == k["kid"] for k in jwks["keys"])
    try:
        header = jwt.get_unverified_header(token)
        out["header"] = header
        keys = [k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.key_id == header.get("kid")]
        if not keys:
            raise jwt.InvalidTokenError("no key of the JWK Set has kid %r" % header.get("kid"))
        out["claims"] = jwt.decode(token, keys[0].key, algorithms=[header["alg"]],
                                   options={"require": ["exp", "iat", "sub", "jti"]})
        out["verified"] = True
    except (jwt.PyJWTError, KeyError, ValueError) as e:
        out["error"] = "%s: %s" % (type(e).__name__, e)
    print(json.dumps(out))
    return 0 if out["verified"] else 1


if __name__ == "__main__":
    sys.exit(main())
