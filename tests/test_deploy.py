"""The deploy files: templates render completely, the systemd unit runs what the launcher runs (no nginx needed;
tests/test_replicas.py runs them for real)."""

import configparser
import shlex

import pytest

from cockpit.app import replicas, serve


def test_render_fills_our_fields_and_keeps_nginx_variables():
    """Test that render fills ${COCKPIT_...} fields, leaves nginx's $variables alone and refuses a missing field."""
    assert (
        replicas.render("listen ${COCKPIT_LISTEN}; set $a $cookie_x;", {"COCKPIT_LISTEN": "80"})
        == "listen 80; set $a $cookie_x;"
    )
    with pytest.raises(KeyError, match="COCKPIT_LISTEN"):
        replicas.render("listen ${COCKPIT_LISTEN};", {})


def test_site_lists_every_replica_behind_one_sticky_upstream():
    """Test that the rendered site has one upstream server line per replica, hashed by the route cookie, and no
    field left unfilled."""
    text = replicas.nginx_site(["127.0.0.1:8501", "127.0.0.1:8502", "10.0.0.3:8501"], "8080", "cockpit.example")
    assert "${" not in text
    servers = [
        line.split()[1] for line in text.splitlines() if line.strip().startswith("server ") and "max_fails" in line
    ]
    assert servers == ["127.0.0.1:8501", "127.0.0.1:8502", "10.0.0.3:8501"]
    assert "hash $cockpit_route consistent;" in text
    assert "listen 8080;" in text and "server_name cockpit.example;" in text
    # the websocket upgrade and the client address the replicas trust
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    with pytest.raises(ValueError):
        replicas.nginx_site([], "80")


def test_standalone_main_config_keeps_everything_in_its_directory(tmp_path):
    """Test that the standalone nginx configuration puts pid, logs and temporary files under its directory."""
    main = replicas.write_nginx_config(tmp_path / "nginx", ["127.0.0.1:9001"], "127.0.0.1:9000")
    text = main.read_text(encoding="utf-8")
    paths = [
        line.split()[1].rstrip(";")
        for line in text.splitlines()
        if line.strip().split(" ")[0] in ("pid", "error_log", "include") or "_temp_path" in line
    ]
    assert len(paths) == 8 and all(p.startswith(str(tmp_path / "nginx")) for p in paths), paths
    assert (tmp_path / "nginx" / "cockpit.conf").exists()


def unit():
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(replicas.DEPLOY / "systemd" / "cockpit@.service", encoding="utf-8")
    return parser


def test_systemd_unit_runs_the_launchers_replica_command():
    """Test that cockpit@.service starts a replica exactly as `cockpit.app.replicas` does (port = instance),
    warms it up, names it, and reads the shared settings from the environment file."""
    service = unit()["Service"]
    start = shlex.split(service["ExecStart"].replace("%i", "8501"))
    assert start[0].endswith("/python")
    assert start[1:] == replicas.replica_command(8501)[1:]
    assert shlex.split(service["ExecStartPost"])[1:] == ["-m", "cockpit.app.warmup", "http://127.0.0.1:%i"]
    assert service["Environment"].startswith(f"{serve.REPLICA_ENV}=")
    env_file = (replicas.DEPLOY / "systemd" / "cockpit.env").read_text(encoding="utf-8")
    for name in ("COCKPIT_DATA_DIR", "COCKPIT_TRUSTED_PROXIES", replicas.COOKIE_SECRET_ENV):
        assert f"\n{name}=" in env_file, name


def test_replica_environment_shares_data_and_secret_and_trusts_local_nginx(tmp_path):
    """Test that each replica gets its name, the shared data directory and cookie secret, and trusts nginx on
    loopback for X-Forwarded-For (unless told otherwise)."""
    env = replicas.replica_env("r2", tmp_path, "s3cret", environ={"PATH": "/bin"})
    assert env[serve.REPLICA_ENV] == "r2" and env["COCKPIT_DATA_DIR"] == str(tmp_path)
    assert env[replicas.COOKIE_SECRET_ENV] == "s3cret" and env["COCKPIT_TRUSTED_PROXIES"] == "127.0.0.1"
    env = replicas.replica_env("r1", tmp_path, "s", environ={"COCKPIT_TRUSTED_PROXIES": "10.0.0.2"})
    assert env["COCKPIT_TRUSTED_PROXIES"] == "10.0.0.2"


def test_replica_header_only_for_a_plain_name():
    """Test that X-Cockpit-Replica is sent only when COCKPIT_REPLICA is a short plain name."""
    assert serve.replica_header({"COCKPIT_REPLICA": "host-8501"}) == {"X-Cockpit-Replica": "host-8501"}
    assert serve.replica_header({}) == {}
    assert serve.replica_header({"COCKPIT_REPLICA": "a\r\nSet-Cookie: x"}) == {}
