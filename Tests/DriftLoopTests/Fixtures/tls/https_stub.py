"""An https server for the TLS verification tests: answers the trainer protocol's job status and MLflow's
"no such model", so a test can tell a TLS failure from an answer. stdlib only.

    python3 https_stub.py --cert CERT --key KEY --port 0 --port-file F
"""
import argparse
import http.server
import json
import signal
import ssl


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/jobs/"):
            status, body = 200, {"job": self.path.split("/")[-1], "status": "running"}
        else:
            status, body = 404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Registered Model not found"}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    # The Swift test process starts children with SIGTERM blocked.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(args.port_file, "w") as handle:
        handle.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
