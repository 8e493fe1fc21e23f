"""10: configured limits (docs/configuration.md): queue sizes, connection and protocol limits per
listener, client id size, keep alive, slow consumers, and configuration errors."""
import socket
import subprocess
import time

import pytest

import rawmqtt
import raw5
from conftest import BIN, wait_for
from raw5 import open5, open311, subscribe_ok, publish5, Publish, Ack, collect, nothing_more


def _publish_qos1(port, topic, n, tag="m", size=0, paced=False):
    """n QoS 1 messages tag0..tag{n-1} (padded to `size` bytes); waits for every PUBACK. `paced`:
    one at a time, each after the previous PUBACK (a burst written at once is routed in one read
    loop, before any subscriber connection gets to drain its queue)."""
    pub, _ = open5(port, "publisher")
    for i in range(n):
        body = f"{tag}{i}".encode()
        pub.send(publish5(topic, body.ljust(size, b"."), qos=1, packet_id=i + 1))
        if paced:
            a = Ack(pub.recv_packet())
            assert a.type == raw5.PUBACK and a.packet_id == i + 1
    if not paced:
        for i in range(n):
            a = Ack(pub.recv_packet())
            assert a.type == raw5.PUBACK and a.packet_id == i + 1
    pub.close()


def _tag(m):
    return m.payload.rstrip(b".").decode()


# ---- Queue limits ------------------------------------------------------------------------------

def test_max_online_messages_drops_beyond_limit(make_broker):
    """max_online_messages = 10 with max_inflight_messages = 5: a subscriber that acknowledges
    nothing holds 5 in flight; 10 more wait in its queue and the rest are dropped, while the
    publisher and another subscriber are served normally. When it finally acknowledges it gets
    exactly the 10 queued ones (in order), then nothing. (The limits are per session: the other
    subscriber reads at QoS 0 as fast as messages come, so its queue never fills.) VerneMQ's
    queue limit, no normative statement; in-flight limit: 5.0:MQTT-4.9.0-2"""
    b = make_broker("max_online_messages = 10\nmax_inflight_messages = 5")
    stuck, _ = open5(b.port, "stuck")
    subscribe_ok(stuck, [("lim/t", 1)])
    fast, _ = open5(b.port, "fast")
    subscribe_ok(fast, [("lim/t", 0)])  # QoS 0: never waits in flight, so its queue never fills
    _publish_qos1(b.port, "lim/t", 50, paced=True)
    got_fast = collect([fast], 50)[0]
    assert [_tag(m) for m in got_fast] == [f"m{i}" for i in range(50)]
    first = raw5.recv_publishes(stuck, 5)  # in flight, not acknowledged
    assert nothing_more(stuck, 0.3)        # the window is full: nothing else is sent
    for m in first:
        stuck.send(raw5.puback(m.packet_id))
    rest = collect([stuck], 10)[0]
    assert len(rest) == 10 and nothing_more(stuck, 0.3)
    tags = [int(_tag(m)[1:]) for m in first + rest]
    assert tags == sorted(tags), "fifo order"
    assert tags[:10] == list(range(10)), "the first 10 always fit (5 in flight + queue)"
    assert len(tags) == 15, "5 in flight + 10 queued; the other 35 were dropped"
    stuck.close()
    fast.close()


@pytest.mark.parametrize("queue_type", ["fifo", "lifo"])
def test_max_offline_messages(make_broker, queue_type):
    """max_offline_messages = 5: an offline persistent session gets exactly 5 of 10 QoS 1 messages
    on reconnect. fifo keeps the first 5 and delivers them in order; lifo drops the oldest when
    full, so keeps the last 5, and delivers newest first (as VerneMQ's vmq_queue does).
    Covers 3.1.1:MQTT-3.1.2-5 5.0:MQTT-3.1.2-23"""
    b = make_broker(f"max_offline_messages = 5\nqueue_type = {queue_type}")
    c, _ = open311(b.port, "offline", clean=False)
    subscribe_ok(c, [("off/t", 1)], v5=False)
    c.send(b"\xe0\x00")
    assert c.closed_by_server()
    c.close()
    _publish_qos1(b.port, "off/t", 10)
    c, ack = open311(b.port, "offline", clean=False)
    assert ack.body == b"\x01\x00"  # session present
    got = collect([c], 5, v5=False)[0]
    assert nothing_more(c, 0.3)
    tags = [_tag(m) for m in got]
    if queue_type == "fifo":
        assert tags == ["m0", "m1", "m2", "m3", "m4"]
    else:
        assert tags == ["m9", "m8", "m7", "m6", "m5"]
    c.close()


# ---- Listener limits -----------------------------------------------------------------------------

def _connect_ok(port, client_id, version=4):
    c = rawmqtt.RawClient(port, timeout=2)
    try:
        c.send(rawmqtt.connect(client_id, version=version))
        p = c.recv_packet(2)
        return c if p is not None and p.type == raw5.CONNACK and p.body[1] == 0 else None
    except (OSError, TimeoutError):
        return None


def test_max_connections(make_broker):
    """listener.tcp.default.max_connections = 2: a third connection is closed at once without an
    answer; once one of the two leaves, a new connection is accepted again. (Configuration
    behaviour, no normative statement.)"""
    b = make_broker("listener.tcp.default.max_connections = 2")
    c1 = _connect_ok(b.port, "one")
    c2 = _connect_ok(b.port, "two")
    assert c1 and c2
    third = rawmqtt.RawClient(b.port)
    try:
        third.send(rawmqtt.connect("three"))
    except OSError:
        pass
    assert third.recv_packet(3) is None, "third connection must be closed without CONNACK"
    third.close()
    c1.send(b"\xe0\x00")
    c1.close()

    def fourth_ok():
        c = _connect_ok(b.port, "four")
        if c:
            c.close()
        return c is not None
    assert wait_for(fourth_ok, timeout=5)
    c2.close()


def test_allowed_protocol_versions_per_listener(make_broker):
    """listener.tcp.allowed_protocol_versions = 3,4 refuses a 5.0 CONNECT with CONNACK 0x84; a
    listener with allowed_protocol_versions = 5 refuses 3.1.1 and 3.1 with return code 1; each
    accepts the levels it allows.
    Covers 3.1.1:MQTT-3.1.2-2 5.0:MQTT-3.1.2-2 3.1.1:MQTT-3.2.2-5 5.0:MQTT-3.2.2-7"""
    b = make_broker("listener.tcp.allowed_protocol_versions = 3,4\nlistener.tcp.v5only.allowed_protocol_versions = 5",
                    listeners={"default": "127.0.0.1:0", "v5only": "127.0.0.1:0"})
    old, v5only = b.ports["default"], b.ports["v5only"]

    c = rawmqtt.RawClient(old)
    c.send(raw5.connect5("five"))
    ack = raw5.Connack(c.recv_packet())
    assert ack.reason == raw5.UNSUPPORTED_PROTOCOL_VERSION and ack.session_present == 0
    raw5.expect_closed_silently(c)
    c.close()
    for version in (3, 4):
        c = _connect_ok(old, f"ok{version}", version)
        assert c, f"level {version} must be accepted on the 3,4 listener"
        c.close()

    for version in (3, 4):
        c = rawmqtt.RawClient(v5only)
        c.send(rawmqtt.connect(f"old{version}", version=version))
        p = c.recv_packet()
        assert p is not None and p.type == raw5.CONNACK and p.body == b"\x00\x01", p
        raw5.expect_closed_silently(c)
        c.close()
    c, _ = open5(v5only, "five")
    c.close()


@pytest.mark.parametrize("version", [4, 5])
def test_max_client_id_size(make_broker, version):
    """max_client_id_size = 5: a 5-byte id is accepted, a 6-byte one refused (3.1.1 return code 2,
    5.0 reason 0x85) and closed; a PUBLISH pipelined after the refused CONNECT is not processed.
    Covers 3.1.1:MQTT-3.1.3-9 5.0:MQTT-3.1.3-8 3.1.1:MQTT-3.1.4-5 5.0:MQTT-3.1.4-6
    3.1.1:MQTT-3.2.2-4 5.0:MQTT-3.2.2-6"""
    b = make_broker("max_client_id_size = 5")
    c = _connect_ok(b.port, "abcde", version)
    assert c
    c.close()
    c = rawmqtt.RawClient(b.port)
    c.send(rawmqtt.connect("abcdef", version=version) +
           rawmqtt.publish("cid/retained", b"must-not-be-stored", retain=True, version=version))
    p = c.recv_packet()
    assert p is not None and p.type == raw5.CONNACK
    if version == 4:
        assert p.body == b"\x00\x02"
    else:
        assert p.body[0] == 0 and p.body[1] == raw5.CLIENT_ID_NOT_VALID
    raw5.expect_closed_silently(c)
    c.close()
    s, _ = open5(b.port, "")
    subscribe_ok(s, [("cid/#", 0)])
    assert nothing_more(s, 0.3)  # no retained message was stored
    s.close()


def test_max_message_size_v311(make_broker):
    """max_message_size = 1000 on 3.1.1: a 1000-byte payload is delivered, a 1001-byte one closes
    the publisher's connection (3.1.1 has no reason code) and is not delivered. (Configuration
    behaviour, no normative statement.)"""
    b = make_broker("max_message_size = 1000")
    sub, _ = open311(b.port, "sub")
    subscribe_ok(sub, [("mms", 0)], v5=False)
    pub, _ = open311(b.port, "pub")
    pub.send(rawmqtt.publish("mms", b"a" * 1000))
    assert len(Publish(sub.recv_packet(), v5=False).payload) == 1000
    pub.send(rawmqtt.publish("mms", b"b" * 1001))
    raw5.expect_closed_silently(pub)
    pub.close()
    assert nothing_more(sub, 0.3)
    sub.close()


# ---- Keep alive (3.1.1) --------------------------------------------------------------------------

def test_keep_alive_timeout_v311(broker):
    """3.1.1, Keep Alive 1 s and silence: the broker closes the connection after 1.5 s (no packet
    first) and, as for a network failure, publishes the will.
    Covers 3.1.1:MQTT-3.1.2-24 3.1.1:MQTT-3.1.2-8"""
    w, _ = open311(broker.port, "watch")
    subscribe_ok(w, [("ka/#", 0)], v5=False)
    t0 = time.time()
    c, _ = open311(broker.port, "idle", keep_alive=1, will=("ka/will", b"timeout", 0, False))
    raw5.expect_closed_silently(c, timeout=4)
    elapsed = time.time() - t0
    assert 1.4 <= elapsed <= 2.5, elapsed
    c.close()
    m = Publish(w.recv_packet(), v5=False)
    assert (m.topic, m.payload) == ("ka/will", b"timeout")
    w.close()


def test_keep_alive_counts_packets_not_bytes(broker):
    """Keep Alive 1 s: bytes of an incomplete packet are not a Control Packet, so a client that
    trickles one byte every 0.3 s must still be disconnected about 1.5 s after its last complete
    packet (the CONNECT).  Covers 3.1.1:MQTT-3.1.2-24 5.0:MQTT-3.1.2-22"""
    c, _ = open311(broker.port, "trickle", keep_alive=1)
    t0 = time.time()
    data = rawmqtt.publish("ka/t", b"x" * 100)
    i = 0
    closed = False
    while time.time() - t0 < 2.6 and not closed:
        try:
            c.send(data[i:i + 1])
            i += 1
            closed = c.recv_packet(0.3) is None
        except TimeoutError:
            pass
        except OSError:
            closed = True
    c.close()
    assert closed, f"still connected {time.time() - t0:.1f}s after CONNECT with Keep Alive 1 ({i} bytes trickled)"


# ---- Slow consumer -------------------------------------------------------------------------------

def _never_reading_client(port, client_id, topic):
    """A 3.1.1 subscriber with a tiny receive buffer that stops reading after its SUBACK."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    c = rawmqtt.RawClient.__new__(rawmqtt.RawClient)
    c.sock, c.buf = s, b""
    c.send(rawmqtt.connect(client_id))
    assert c.recv_packet().body == b"\x00\x00"
    subscribe_ok(c, [(topic, 0)], v5=False)
    return c


def test_slow_subscriber_does_not_stall_others(broker):
    """A subscriber that never reads, with 6 MB of messages for it (more than the kernel socket
    buffers hold, which absorb about 4 MB on loopback, so the broker itself must hold the rest),
    does not hold up a normal subscriber on the same topic: that one receives all 600 messages
    (10 KB each) promptly, and the broker keeps serving new clients. When the slow one finally
    reads, it gets every message, in order (600 < max_online_messages).
    Covers 3.1.1:MQTT-4.6.0-6 5.0:MQTT-4.6.0-5 5.0:MQTT-4.6.0-6"""
    n = 600
    slow = _never_reading_client(broker.port, "slow", "slow/t")
    fast, _ = open5(broker.port, "fast")
    subscribe_ok(fast, [("slow/t", 0)])
    pub, _ = open5(broker.port, "pub")
    t0 = time.time()
    for i in range(n):
        pub.send(publish5("slow/t", f"{i}:".encode().ljust(10_000, b"x")))
    got = collect([fast], n, timeout=15)[0]
    elapsed = time.time() - t0
    assert [int(m.payload.split(b":")[0]) for m in got] == list(range(n))
    assert elapsed < 5, f"fast subscriber took {elapsed:.1f}s"
    pub.send(raw5.PINGREQ_BYTES)
    assert pub.recv_packet().type == raw5.PINGRESP
    raw5.check_alive(broker.port, "slow")
    slow.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    late = collect([slow], n, timeout=15, v5=False)[0]
    assert [int(m.payload.split(b":")[0]) for m in late] == list(range(n))
    slow.close()
    fast.close()
    pub.close()


# ---- Configuration errors ------------------------------------------------------------------------

@pytest.mark.parametrize("line,reason", [
    ("max_clientid_size = 5", "max_clientid_size: unknown key"),
    ("message_size_limit = 10", "message_size_limit: unknown key"),
    ("listener.tcp.default.max_conections = 5", "listener.tcp.default.max_conections: unknown key"),
    ("listener.tcp.defualt.max_connections = 5", "listener.tcp.defualt.max_connections: no tcp listener named defualt"),
])
def test_config_error_refuses_to_start(tmp_path, line, reason):
    """A mistake in the configuration stops the broker before it listens: "FILE:LINE: KEY: reason"
    on stderr and a non-zero exit (also with --check). (Configuration behaviour, no normative
    statement.)"""
    conf = tmp_path / "ternmq.conf"
    conf.write_text("listener.tcp.default = 127.0.0.1:0\nallow_anonymous = on\n" + line + "\n")
    for extra in ([], ["--check"]):
        r = subprocess.run([BIN, "--config", str(conf)] + extra, capture_output=True, text=True, timeout=10,
                           cwd=str(tmp_path))
        assert r.returncode != 0
        assert f"{conf}:3: {reason}" in r.stderr, r.stderr
        assert "listening" not in r.stdout
