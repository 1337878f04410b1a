"""Several replicas of the app behind nginx, on one data directory (deploy/README.md).

One Streamlit process runs every session's script under one interpreter lock, so it uses about one core. To
use a machine's cores, or several machines, run replicas of `python -m cockpit.app.serve` behind nginx, which
keeps each browser on one replica (a route cookie, see deploy/nginx/cockpit.conf). The replicas share nothing
but the data directory: an import through any of them changes the files, and every replica notices the new data
version on its next query.

    python -m cockpit.app.replicas run [--replicas N] [--listen 127.0.0.1:8080] [--replica-ports 8501,8502]
                                   [--data-dir D] [--run-dir var/replicas]
        starts N replicas (default: one per core), waits until each answers and has run the app once,
        then nginx in the foreground with the repository's configuration; Ctrl-C / SIGTERM stops all.
        A replica that stops is not restarted (nginx sends its browsers to the others); under systemd
        use deploy/systemd/cockpit@.service, which restarts it.
    python -m cockpit.app.replicas nginx-site [--replica-ports 8501,8502 | --servers host:port,...] [--listen 80]
                                          [--server-name NAME]
        prints deploy/nginx/cockpit.conf filled in, for /etc/nginx/conf.d/cockpit.conf.

`<run-dir>/cluster.json` records the running processes (nginx and each replica: name, port, pid) for
operators and tests; each replica's log is `<run-dir>/replica-<name>.log`, nginx's under `<run-dir>/nginx/`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
SITE_TEMPLATE = DEPLOY / "nginx" / "cockpit.conf"
MAIN_TEMPLATE = DEPLOY / "nginx" / "nginx-standalone.conf"
RUN_DIR = ROOT / "var" / "replicas"
from cockpit.app.serve import REPLICA_ENV  # noqa: E402 - the header name lives with the serving rules

COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
_FIELD = re.compile(r"\$\{(COCKPIT_[A-Z0-9_]+)\}")


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def render(template: str, fields: dict[str, str]) -> str:
    """Fill the ${COCKPIT_...} fields of a deploy template (nginx's own `$variables` stay as they are);
    a field left without a value is an error, not an empty string."""
    missing = sorted(set(_FIELD.findall(template)) - set(fields))
    if missing:
        raise KeyError(f"模板字段没有取值: {', '.join(missing)}")
    return _FIELD.sub(lambda m: fields[m.group(1)], template)


def nginx_site(
    replica_addresses: list[str],
    listen: str,
    server_name: str = "_",
    access_log: str = "/var/log/nginx/cockpit.access.log",
) -> str:
    """deploy/nginx/cockpit.conf for these replicas ("127.0.0.1:8501", ...)."""
    if not replica_addresses:
        raise ValueError("至少需要一个副本")
    servers = "\n".join(f"    server {a} max_fails=1 fail_timeout=10s;" for a in replica_addresses)
    return render(
        SITE_TEMPLATE.read_text(encoding="utf-8"),
        {
            "COCKPIT_UPSTREAM_SERVERS": servers,
            "COCKPIT_LISTEN": listen,
            "COCKPIT_SERVER_NAME": server_name,
            "COCKPIT_ACCESS_LOG": access_log,
        },
    )


def nginx_main(nginx_dir: Path) -> str:
    """deploy/nginx/nginx-standalone.conf with every path under `nginx_dir` (which holds cockpit.conf).
    Run by root, the workers run as root too: they write the temporary files under `nginx_dir`."""
    user = "user root;" if os.geteuid() == 0 else ""
    return render(
        MAIN_TEMPLATE.read_text(encoding="utf-8"), {"COCKPIT_NGINX_DIR": str(nginx_dir), "COCKPIT_NGINX_USER": user}
    )


def write_nginx_config(nginx_dir: Path, replica_addresses: list[str], listen: str) -> Path:
    """Render both templates into `nginx_dir` (logs and temporary files there too); the main file's path."""
    nginx_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (nginx_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    (nginx_dir / "cockpit.conf").write_text(
        nginx_site(replica_addresses, listen, access_log=str(nginx_dir / "access.log")), encoding="utf-8"
    )
    main = nginx_dir / "nginx.conf"
    main.write_text(nginx_main(nginx_dir), encoding="utf-8")
    return main


def nginx_command(main_conf: Path, *extra: str) -> list[str]:
    """nginx in the foreground with the rendered configuration (`extra`: e.g. "-t" to check it)."""
    d = main_conf.parent
    return [nginx_binary(), "-p", str(d), "-c", str(main_conf), "-e", str(d / "error.log"), "-g", "daemon off;", *extra]


# --------------------------------------------------------------------------------------------------


@dataclass
class Replica:
    name: str
    port: int
    proc: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def replica_command(port: int) -> list[str]:
    """What deploy/systemd/cockpit@.service runs, on loopback (nginx is on the same machine)."""
    return [sys.executable, "-m", "cockpit.app.serve", "--server.port", str(port), "--server.headless", "true"]


def replica_env(name: str, data_dir: Path, cookie_secret: str, environ=os.environ) -> dict[str, str]:
    """One replica's environment: its name (the X-Cockpit-Replica header), the shared data directory,
    nginx on loopback as the trusted proxy (the login lockout sees the browsers' addresses) and the cookie
    secret every replica must share (Streamlit signs cookies with it)."""
    return {
        **environ,
        REPLICA_ENV: name,
        "COCKPIT_DATA_DIR": str(data_dir),
        "COCKPIT_TRUSTED_PROXIES": environ.get("COCKPIT_TRUSTED_PROXIES", "127.0.0.1"),
        COOKIE_SECRET_ENV: cookie_secret,
    }


def start_replica(name: str, port: int, data_dir: Path, cookie_secret: str, log: Path) -> Replica:
    with open(log, "ab") as out:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            replica_command(port),
            cwd=ROOT,
            env=replica_env(name, data_dir, cookie_secret),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return Replica(name, port, proc)


def wait_ready(replica: Replica, timeout: float = 120) -> None:
    """Healthy, and the app run once (pages registered, caches filled: see cockpit.app.warmup)."""
    from cockpit.app.warmup import wait_healthy, warm_up

    wait_healthy(replica.base, timeout, alive=lambda: replica.proc.poll() is None)
    if not warm_up(replica.base, timeout):
        raise TimeoutError(f"副本 {replica.name} 首次运行超时")


def wait_port(host: str, port: int, timeout: float = 20, alive=lambda: True) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            if time.time() > deadline or not alive():
                raise TimeoutError(f"{host}:{port} 未在 {timeout:.0f} 秒内开始监听") from None
            time.sleep(0.05)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _host_port(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    return ("127.0.0.1" if host in ("0.0.0.0", "*") else host), int(port)


class Cluster:
    """N replicas and nginx in front of them, started from the repository's deploy files."""

    def __init__(self, replica_ports: list[int], listen: str, data_dir: Path, run_dir: Path):
        self.replica_ports, self.listen = replica_ports, listen
        self.data_dir, self.run_dir = Path(data_dir).resolve(), Path(run_dir).resolve()
        self.replicas: list[Replica] = []
        self.nginx: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> None:
        from cockpit.data.db import SAMPLE_DIR
        from cockpit.data.store import ensure_working_dir

        self.run_dir.mkdir(parents=True, exist_ok=True)
        ensure_working_dir(self.data_dir, SAMPLE_DIR)  # once, before any replica reads it
        secret = os.environ.get(COOKIE_SECRET_ENV) or secrets.token_hex(32)
        try:
            for i, port in enumerate(self.replica_ports, start=1):
                name = f"r{i}"
                self.replicas.append(
                    start_replica(name, port, self.data_dir, secret, self.run_dir / f"replica-{name}.log")
                )
            errors: list[str] = []

            def ready(r: Replica) -> None:
                try:
                    wait_ready(r, timeout)
                except Exception as exc:  # noqa: BLE001 - reported below with the replica's log
                    errors.append(
                        f"副本 {r.name}（端口 {r.port}）未能启动: {exc}; 日志 {self.run_dir}/replica-{r.name}.log"
                    )

            threads = [threading.Thread(target=ready, args=(r,)) for r in self.replicas]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if errors:
                raise RuntimeError("\n".join(errors))
            main = write_nginx_config(
                self.run_dir / "nginx", [f"127.0.0.1:{p}" for p in self.replica_ports], self.listen
            )
            check = subprocess.run(nginx_command(main, "-t", "-q"), capture_output=True, text=True)
            if check.returncode:
                raise RuntimeError(f"nginx 配置检查失败: {check.stderr.strip()}")
            self.nginx = subprocess.Popen(
                nginx_command(main), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            host, port = _host_port(self.listen)
            wait_port(host, port, alive=lambda: self.nginx.poll() is None)
        except BaseException:
            self.stop()
            raise
        self.write_state()

    @property
    def base(self) -> str:
        host, port = _host_port(self.listen)
        return f"http://{host}:{port}"

    def state(self) -> dict:
        return {
            "base": self.base,
            "data_dir": str(self.data_dir),
            "nginx": {
                "pid": self.nginx.pid if self.nginx else None,
                "listen": self.listen,
                "access_log": str(self.run_dir / "nginx" / "access.log"),
            },
            "replicas": [{"name": r.name, "port": r.port, "pid": r.proc.pid} for r in self.replicas],
        }

    def write_state(self) -> None:
        path = self.run_dir / "cluster.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)

    def stop(self) -> None:
        if self.nginx is not None:
            stop(self.nginx, signal.SIGQUIT)  # graceful: finishes the requests in flight
        for r in self.replicas:
            stop(r.proc)
        (self.run_dir / "cluster.json").unlink(missing_ok=True)

    def serve_forever(self) -> int:
        """Until SIGTERM/SIGINT or nginx exits; a replica that exits is reported and left out."""
        stopping = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.set())
        reported: set[str] = set()
        code = 0
        while not stopping.wait(0.5):
            if self.nginx.poll() is not None:
                print(f"nginx 已退出（返回码 {self.nginx.returncode}），停止全部副本", file=sys.stderr)
                code = 1
                break
            for r in self.replicas:
                if r.proc.poll() is not None and r.name not in reported:
                    reported.add(r.name)
                    print(f"副本 {r.name}（端口 {r.port}）已退出，nginx 把它的会话转给其余副本", file=sys.stderr)
        self.stop()
        return code


def _exit_on_signal(signum, _frame) -> None:
    raise SystemExit(128 + signum)


def _ports(text: str | None, count: int, first: int) -> list[int]:
    if text:
        return [int(p) for p in text.split(",") if p.strip()]
    return list(range(first, first + count))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m cockpit.app.replicas", description="多副本运行（nginx 反向代理、会话粘滞）"
    )
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="启动各副本和前置 nginx（前台运行）")
    site = sub.add_parser("nginx-site", help="输出 /etc/nginx/conf.d/cockpit.conf")
    for p in (run, site):
        p.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="副本数（默认每核一个）")
        p.add_argument("--first-port", type=int, default=8501, help="第一个副本的端口，其余依次加一")
        p.add_argument("--replica-ports", default=None, help="逗号分隔的副本端口（优先于 --replicas）")
    run.add_argument("--listen", default="127.0.0.1:8080", help="nginx 监听地址（局域网可用 0.0.0.0:8080）")
    run.add_argument("--data-dir", default=None, help="共享的工作数据目录（默认 $COCKPIT_DATA_DIR 或 var/data）")
    run.add_argument("--run-dir", default=str(RUN_DIR), help="nginx 配置、日志和 cluster.json 的目录")
    site.add_argument("--servers", default=None, help="逗号分隔的 主机:端口（副本在其他机器上时；优先于端口选项）")
    site.add_argument("--listen", default="80")
    site.add_argument("--server-name", default="_")
    site.add_argument("--access-log", default="/var/log/nginx/cockpit.access.log")
    args = ap.parse_args(argv)
    ports = _ports(args.replica_ports, args.replicas, args.first_port)
    if args.command == "nginx-site":
        servers = args.servers.split(",") if args.servers else [f"127.0.0.1:{p}" for p in ports]
        print(nginx_site(servers, args.listen, args.server_name, args.access_log), end="")
        return 0
    from cockpit.data.db import data_dir

    cluster = Cluster(ports, args.listen, Path(args.data_dir) if args.data_dir else data_dir(), Path(args.run_dir))
    signal.signal(signal.SIGTERM, _exit_on_signal)  # while starting: stop what has started, then exit
    cluster.start()
    print(
        f"驾驶舱已启动: {cluster.base}（{len(ports)} 个副本，端口 {', '.join(map(str, ports))}；"
        f"数据目录 {cluster.data_dir}）",
        file=sys.stderr,
        flush=True,
    )
    return cluster.serve_forever()


if __name__ == "__main__":
    raise SystemExit(main())
