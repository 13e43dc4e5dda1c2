"""moto's server (python3 -m moto.server) with one fix to its SigV4 check, for scripts/s3_server.sh.

moto 5.2.1 recomputes a request's signature over werkzeug's `request.url`, an IRI that werkzeug rebuilds from
the *decoded* path: it leaves ! $ & ' ( ) * + , : ; = @ unencoded and turns %C3%A9 back into "é". A client
that signs the path as S3 requires (every byte but A-Z a-z 0-9 - . _ ~ / percent-encoded) then gets
SignatureDoesNotMatch for any key holding such a character -- boto3 included (measured: "eq=x.txt",
"plus+x.txt", "é.txt", "comma,x" all fail; "sp ace.txt", "tilde~x" pass). Real S3 verifies the path and
query as they were sent. This wrapper makes moto do the same: during the signature check only, the URL is the
raw request line (werkzeug's RAW_URI). Everything else (routing, key names, the IAM policy check) is moto's own.

Set S3_MOTO_RAW_URI_SIGNING=0 to run moto unpatched.
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

from moto.core.authorization import ActionAuthenticatorMixin

_original_check = ActionAuthenticatorMixin._authenticate_and_authorize_action


def _check_against_raw_uri(self, iam_request_cls, resource="*"):
    from flask import has_request_context, request

    raw = request.environ.get("RAW_URI") if has_request_context() else None
    if not raw:
        return _original_check(self, iam_request_cls, resource)
    raw_parts = urlsplit(raw)
    parsed = urlsplit(self.uri)
    rebuilt = urlunsplit((parsed.scheme, parsed.netloc, raw_parts.path, raw_parts.query, ""))
    saved = self.uri
    self.uri = rebuilt
    try:
        return _original_check(self, iam_request_cls, resource)
    finally:
        self.uri = saved


if os.environ.get("S3_MOTO_RAW_URI_SIGNING", "1") != "0":
    ActionAuthenticatorMixin._authenticate_and_authorize_action = _check_against_raw_uri

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
