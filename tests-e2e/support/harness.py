"""What the checker scripts (closed_loop_check, fault_kill_check, replicas_failover_check) share: their command line,
free ports, reading PostgreSQL through psql, the built-in registry's index, and count summaries. stdlib only; the
scripts (in tests-e2e/) put this folder, tests-e2e/support/, on sys.path before importing it."""
import argparse
import json
import os
import socket
import subprocess
import sys


class Failure(Exception):
    """A check could not run (a store or a file it needs is missing); the scripts report it and exit non-zero."""


def print_free_ports(count):
    """Prints `count` distinct free loopback ports, one per line (all held open until printed, so they differ)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        for s in sockets:
            print(s.getsockname()[1])
    finally:
        for s in sockets:
            s.close()


def command_line(description):
    """A checker's command line: (parser, subparsers), with the `ports COUNT` subcommand (free loopback ports) added."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ports")
    p.add_argument("count", type=int)
    p.set_defaults(func=lambda args: print_free_ports(args.count))
    return parser, sub


def run_command(parser, name, service_errors=()):
    """Runs the subcommand the command line names. A Failure, or one of `service_errors` (a service that stopped
    answering), is printed as `NAME: FAILED: ...` on stderr and exits 1."""
    args = parser.parse_args()
    try:
        args.func(args)
    except Failure as failure:
        print(f"{name}: FAILED: {failure}", file=sys.stderr, flush=True)
        sys.exit(1)
    except service_errors as error:
        print(f"{name}: FAILED: a service stopped answering: {error}", file=sys.stderr, flush=True)
        sys.exit(1)


def psql_json(url, sql, timeout=300):
    """The rows of `sql` as dicts: one JSON value per query, so tabs and newlines in text columns need no quoting."""
    query = f"SELECT coalesce(json_agg(t), '[]'::json) FROM ({sql}) t"
    done = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", url, "-c", query], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise Failure(f"psql: {done.stderr.strip()}")
    return json.loads(done.stdout.strip() or "[]")


def decode_json_column(rows, column):
    """Parses a JSON text column in place; unreadable or empty text becomes {}."""
    for row in rows:
        try:
            row[column] = json.loads(row.get(column) or "{}")
        except json.JSONDecodeError:
            row[column] = {}


def read_builtin_registry(directory, model, alias="champion"):
    """One model of the built-in registry: {"versions": [{"version", "cycle_id", "tags"}], "champion", "previous", "source"}."""
    path = os.path.join(directory, model.replace("/", "_"), "registry.json")
    if not os.path.exists(path):
        return {"versions": [], "champion": None, "previous": None, "source": path}
    with open(path, encoding="utf-8") as f:
        index = json.load(f)
    versions = [{"version": v["version"], "cycle_id": v.get("tags", {}).get("driftloop.cycle_id"), "tags": v.get("tags", {})}
                for v in index.get("versions", [])]
    aliases = index.get("aliases", {})
    return {"versions": versions, "champion": aliases.get(alias), "previous": aliases.get(f"previous_{alias}"), "source": path}


def fmt_counts(counter):
    """`a 3, b 1`: most frequent first; `none` when empty."""
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))) or "none"
