"""11: signals. SIGTERM (and SIGINT) shut the broker down cleanly: 5.0 clients get DISCONNECT 0x8B
(Server shutting down), 3.1.1 clients are closed, new connections are refused, exit code 0 within
6 s. SIGHUP reloads the configuration file: a valid change applies to new connections, a broken
file is ignored and the running configuration kept."""
import signal
import socket
import time

import rawmqtt
import raw5
from conftest import wait_for
from raw5 import open5, open311, subscribe_ok, publish5, Publish


def _new_connection_refused(port):
    """True when a new client cannot get a session: connection refused, or closed / refused at
    CONNECT (no CONNACK 0x00)."""
    try:
        c = rawmqtt.RawClient(port, timeout=2)
    except ConnectionRefusedError:
        return True
    try:
        c.send(rawmqtt.connect("late", version=5, props=b""))
        p = c.recv_packet(2)
        return p is None or (p.type == raw5.CONNACK and p.body[1] >= 0x80)
    except (OSError, TimeoutError):
        return True
    finally:
        c.close()


def _stuck_client(broker, topic="stuck/t", megabytes=6):
    """A 3.1.1 subscriber that never reads, with more queued for it than the kernel buffers hold,
    so the broker cannot finish writing to it: it keeps the broker busy during shutdown."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(5)
    s.connect(("127.0.0.1", broker.port))
    c = rawmqtt.RawClient.__new__(rawmqtt.RawClient)
    c.sock, c.buf = s, b""
    c.send(rawmqtt.connect("stuck"))
    assert c.recv_packet().body == b"\x00\x00"
    subscribe_ok(c, [(topic, 0)], v5=False)
    pub, _ = open5(broker.port, "filler")
    for i in range(megabytes * 100):
        pub.send(publish5(topic, b"x" * 10_000))
    pub.send(raw5.PINGREQ_BYTES)
    assert pub.recv_packet(10).type == raw5.PINGRESP
    pub.close()
    return c


def test_sigterm_disconnects_clients_and_exits_0(broker):
    """SIGTERM: a 5.0 client gets DISCONNECT 0x8B and is closed, a 3.1.1 client is closed without
    a packet, and the process exits 0 within 6 s. Wills are not the subject here.
    Covers 5.0:MQTT-3.14.2-1 5.0:MQTT-3.14.4-1 5.0:MQTT-3.14.4-2 5.0:MQTT-3.14.0-1"""
    v5c, _ = open5(broker.port, "five")
    v4c, _ = open311(broker.port, "four")
    t0 = time.time()
    broker.signal(signal.SIGTERM)
    d = raw5.expect_disconnect(v5c, raw5.SERVER_SHUTTING_DOWN)
    assert raw5.SESSION_EXPIRY not in d.props  # MQTT-3.14.2-2: never sent by the server
    raw5.expect_closed_silently(v4c)
    assert broker.proc.wait(timeout=6) == 0
    assert time.time() - t0 < 6
    v5c.close()
    v4c.close()


def test_sigterm_refuses_new_connections_while_draining(broker):
    """After SIGTERM, while the broker still waits for a client it cannot finish writing to, new
    connections are refused; the broker gives up on that client and exits 0 within 6 s.
    (Operational behaviour, no normative statement.)"""
    stuck = _stuck_client(broker)
    v5c, _ = open5(broker.port, "five")
    t0 = time.time()
    broker.signal(signal.SIGTERM)
    raw5.expect_disconnect(v5c, raw5.SERVER_SHUTTING_DOWN)
    v5c.close()
    assert broker.proc.poll() is None, "the stuck client should keep the broker draining for a while"
    assert _new_connection_refused(broker.port)
    assert broker.proc.poll() is None, "the refusal must come from the draining broker, not a dead one"
    assert broker.proc.wait(timeout=max(0.1, 6 - (time.time() - t0))) == 0
    assert time.time() - t0 < 6
    stuck.close()


def test_sigint_exits_0(broker):
    """SIGINT shuts down like SIGTERM.  Covers 5.0:MQTT-3.14.2-1"""
    c, _ = open5(broker.port, "five")
    broker.signal(signal.SIGINT)
    raw5.expect_disconnect(c, raw5.SERVER_SHUTTING_DOWN)
    assert broker.proc.wait(timeout=6) == 0
    c.close()


def _rewrite_config(broker, extra):
    with open(broker.conf_path, "w") as f:
        f.write(broker.conf_text + extra + "\n")


def _refused_id(port, client_id):
    """3.1.1 CONNECT with `client_id`; True when refused with return code 2."""
    c = rawmqtt.RawClient(port)
    c.send(rawmqtt.connect(client_id))
    p = c.recv_packet()
    c.close()
    assert p is not None and p.type == raw5.CONNACK, p
    assert p.body[1] in (0, 2), p
    return p.body[1] == 2


def test_sighup_applies_valid_change_to_new_connections(broker):
    """SIGHUP with a changed, valid file (max_client_id_size 23 -> 5): new connections follow the
    new limit; a client connected before keeps its connection and keeps working.
    Covers 3.1.1:MQTT-3.1.3-9 (after reload)"""
    assert not _refused_id(broker.port, "abcdefgh")
    old, _ = open311(broker.port, "longer-than-five")
    subscribe_ok(old, [("hup/t", 0)], v5=False)
    _rewrite_config(broker, "max_client_id_size = 5")
    broker.signal(signal.SIGHUP)
    assert wait_for(lambda: "configuration reloaded" in broker.read_log())
    assert _refused_id(broker.port, "abcdefgh")
    assert not _refused_id(broker.port, "abcde")
    old.send(rawmqtt.publish("hup/t", b"still here"))
    assert Publish(old.recv_packet(), v5=False).payload == b"still here"
    old.close()
    assert broker.proc.poll() is None


def test_sighup_with_broken_config_keeps_running_config(make_broker):
    """SIGHUP with a broken file (unknown key): the reload is refused and logged with FILE:LINE,
    the running configuration (max_client_id_size = 5) stays, the broker keeps serving; a later
    SIGHUP with a fixed file applies it. (Operational behaviour, no normative statement.)"""
    b = make_broker("max_client_id_size = 5")
    assert _refused_id(b.port, "abcdefgh")
    _rewrite_config(b, "max_client_id_size = 23\nno_such_key = 1")
    b.signal(signal.SIGHUP)
    assert wait_for(lambda: "not reloaded" in b.read_log())
    log = b.read_log()
    assert "no_such_key: unknown key" in log and f"{b.conf_path}:" in log
    assert b.proc.poll() is None
    assert _refused_id(b.port, "abcdefgh"), "the old limit must still apply"
    raw5.check_alive(b.port, "hup")
    _rewrite_config(b, "max_client_id_size = 23")
    b.signal(signal.SIGHUP)
    assert wait_for(lambda: "configuration reloaded" in b.read_log())
    assert not _refused_id(b.port, "abcdefgh")
