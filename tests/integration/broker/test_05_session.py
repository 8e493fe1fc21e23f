"""05: sessions: persistent (clean session 0) versus clean, MQTT 5 Session Expiry Interval and
Clean Start, session takeover, client identifiers (assigned, empty, too long)."""
import time

import pytest

import rawmqtt
from clients import (DISCONNECT, P_ASSIGNED_CLIENT_ID, P_SESSION_EXPIRY, clients, parse_connack,  # noqa: F401
                     parse_disconnect, props)
from conftest import wait_for


def _expired_logged(broker, client_id):
    return f"session '{client_id}' expired" in broker.read_log()


@pytest.mark.parametrize("version", [3, 4])
def test_persistent_session_keeps_subscriptions_and_queued_qos1(broker, clients, version):
    """A clean session 0 client that disconnects keeps its subscriptions; QoS 1 and 2 messages
    published meanwhile are queued and delivered on reconnect (Session Present = 1) in order,
    QoS 0 messages are not; and the subscription is still live afterwards.
    [3.1.1:MQTT-3.1.2-4] [3.1.1:MQTT-3.1.2-5] [3.1.1:MQTT-3.2.2-2] [3.1.1:MQTT-4.1.0-1]
    [3.1.1:MQTT-3.1.3-2] [3.1.1:MQTT-4.5.0-1]"""
    c = clients.raw(broker, "persist", version=version, clean=False)
    assert (c.session_present, c.rc) == (0, 0)
    c.subscribe(("ps/#", 2))
    c.disconnect()
    pub = clients.raw(broker, "pspub", version=version)
    pub.publish("ps/a", b"q1-first", qos=1)
    pub.publish("ps/a", b"q0-dropped", qos=0)
    pub.publish("ps/b", b"q2-second", qos=2)
    pub.publish("ps/a", b"q1-third", qos=1)

    c = clients.raw(broker, "persist", version=version, clean=False)
    assert (c.session_present, c.rc) == (1, 0)
    got = c.publishes(3, ack=True)
    assert [(m.payload, m.qos, m.dup) for m in got] == [(b"q1-first", 1, False), (b"q2-second", 2, False),
                                                         (b"q1-third", 1, False)]
    assert c.nothing_for(0.3), "QoS 0 message was queued for an offline session"
    pub.publish("ps/c", b"after", qos=0)
    m = c.expect_publish()
    assert (m.topic, m.payload) == ("ps/c", b"after")


def test_clean_session_discards_state(broker, clients):
    """Connecting with clean session 1 discards the stored session (Session Present 0, old
    subscription gone), and that clean session is not reused by a later clean session 0.
    [3.1.1:MQTT-3.1.2-6] [3.1.1:MQTT-3.2.2-1] [3.1.1:MQTT-3.2.2-3]"""
    c = clients.raw(broker, "cleaner", clean=False)
    c.subscribe(("cs/t", 1))
    c.disconnect()
    pub = clients.raw(broker, "cspub")
    pub.publish("cs/t", b"queued", qos=1)
    c = clients.raw(broker, "cleaner", clean=True)
    assert (c.session_present, c.rc) == (0, 0)
    assert c.nothing_for(0.3), "clean session received the old session's queued message"
    pub.publish("cs/t", b"live", qos=1)
    assert c.nothing_for(0.3), "old subscription survived clean session 1"
    c.subscribe(("cs/t", 1))
    c.disconnect()
    c = clients.raw(broker, "cleaner", clean=False)
    assert (c.session_present, c.rc) == (0, 0)
    pub.publish("cs/t", b"nobody", qos=1)
    assert c.nothing_for(0.3), "subscription of a clean session outlived it"


def test_v5_session_expiry_interval(broker, clients):
    """A 5.0 session with Session Expiry Interval 1 s survives a short disconnection (Session
    Present 1, queued message delivered) and is gone once the interval has passed after the
    next disconnection (Session Present 0, subscription and queue discarded).
    [5.0:MQTT-3.1.2-23] [5.0:MQTT-4.1.0-2] [5.0:MQTT-3.1.2-5] [5.0:MQTT-3.1.2-6]
    [5.0:MQTT-3.2.2-3]"""
    expiry = props((P_SESSION_EXPIRY, 1))
    c = clients.raw(broker, "exp5", version=5, clean=False, prop_bytes=expiry)
    assert c.session_present == 0
    c.subscribe(("se/t", 1))
    c.disconnect()
    pub = clients.raw(broker, "sepub", version=5)
    pub.publish("se/t", b"while away", qos=1)
    c = clients.raw(broker, "exp5", version=5, clean=False, prop_bytes=expiry)
    assert (c.session_present, c.rc) == (1, 0)
    m = c.expect_publish()
    assert m.payload == b"while away"
    c.ack(m)
    c.disconnect()
    t_off = time.time()
    pub.publish("se/t", b"lost with the session", qos=1)
    # The broker logs the expiry; fall back to the time bound if it does not.
    wait_for(lambda: _expired_logged(broker, "exp5"), timeout=4)
    wait_for(lambda: time.time() - t_off >= 1.0, timeout=2)
    c = clients.raw(broker, "exp5", version=5, clean=False, prop_bytes=expiry)
    assert (c.session_present, c.rc) == (0, 0)
    assert c.nothing_for(0.3), "expired session still delivered its queue"
    pub.publish("se/t", b"no subscription", qos=1)
    assert c.nothing_for(0.2)


def test_v5_session_expiry_zero_ends_with_connection(broker, clients):
    """Without a Session Expiry Interval (0) the 5.0 session ends when the connection closes.
    [5.0:MQTT-3.1.2-23] [5.0:MQTT-3.1.2-6]"""
    c = clients.raw(broker, "zero5", version=5, clean=False)
    c.subscribe(("z/t", 1))
    c.disconnect()
    c = clients.raw(broker, "zero5", version=5, clean=False)
    assert (c.session_present, c.rc) == (0, 0)


def test_v5_clean_start_discards_session(broker, clients):
    """Clean Start = 1 discards an existing session: Session Present 0, queued messages and
    subscriptions are gone.
    [5.0:MQTT-3.1.2-4] [5.0:MQTT-3.2.2-2]"""
    expiry = props((P_SESSION_EXPIRY, 60))
    c = clients.raw(broker, "cs5", version=5, clean=False, prop_bytes=expiry)
    c.subscribe(("cs5/t", 1))
    c.disconnect()
    pub = clients.raw(broker, "cs5pub", version=5)
    pub.publish("cs5/t", b"queued", qos=1)
    c = clients.raw(broker, "cs5", version=5, clean=True, prop_bytes=expiry)
    assert (c.session_present, c.rc) == (0, 0)
    assert c.nothing_for(0.3)
    pub.publish("cs5/t", b"live", qos=1)
    assert c.nothing_for(0.3), "subscription survived Clean Start"


def test_takeover_v5_old_connection_gets_disconnect_8e(broker, clients):
    """A second connection with the same client id takes over: the first receives DISCONNECT
    with reason 0x8E and is closed; the second resumes the session (Session Present 1) with
    its subscription.
    [5.0:MQTT-3.1.4-3] [5.0:MQTT-3.1.4-4] [5.0:MQTT-3.14.2-1] [5.0:MQTT-3.2.2-3]"""
    expiry = props((P_SESSION_EXPIRY, 60))
    first = clients.raw(broker, "dup5", version=5, clean=False, prop_bytes=expiry)
    first.subscribe(("to5/t", 1))
    second = clients.raw(broker, "dup5", version=5, clean=False, prop_bytes=expiry)
    assert (second.session_present, second.rc) == (1, 0)
    assert first.closed_by_server(), "first connection not closed"
    assert len(first.pending) == 1 and first.pending[0].type == DISCONNECT, first.pending
    assert parse_disconnect(first.pending[0])[0] == 0x8E
    pub = clients.raw(broker, "to5pub", version=5)
    pub.publish("to5/t", b"to the new one", qos=1)
    m = second.expect_publish()
    assert m.payload == b"to the new one"


def test_takeover_v5_session_expiry_zero_resumed(broker, clients):
    """Takeover of a connection whose session has Session Expiry 0 by Clean Start 0: the
    session moves to the new connection instead of ending (Session Present 1, subscription
    kept). Repeated to expose a race between the old connection's close and the new one.
    [5.0:MQTT-3.1.4-3] [5.0:MQTT-3.1.2-5] [5.0:MQTT-4.1.0-1]"""
    pub = clients.raw(broker, "tz5pub", version=5)
    for i in range(10):
        cid = f"tz5-{i}"
        first = clients.raw(broker, cid, version=5, clean=True)
        first.subscribe((f"tz5/{i}", 1))
        second = clients.raw(broker, cid, version=5, clean=False)
        assert (second.session_present, second.rc) == (1, 0)
        assert first.closed_by_server()
        pub.publish(f"tz5/{i}", b"still subscribed", qos=1)
        m = second.expect_publish(timeout=2)
        assert m.payload == b"still subscribed"
        second.ack(m)


@pytest.mark.parametrize("version", [3, 4])
def test_takeover_v3_old_connection_closed(broker, clients, version):
    """3.1/3.1.1: a second CONNECT with the same client id closes the first connection (no
    DISCONNECT packet exists for the server to send) and gets the session.
    [3.1.1:MQTT-3.1.4-2] [3.1.1:MQTT-3.2.2-2]"""
    first = clients.raw(broker, "dup3", version=version, clean=False)
    first.subscribe(("to3/t", 1))
    second = clients.raw(broker, "dup3", version=version, clean=False)
    assert (second.session_present, second.rc) == (1, 0)
    assert first.closed_by_server()
    assert first.pending == [], "3.x connection was sent a packet on takeover"
    pub = clients.raw(broker, "to3pub", version=version)
    pub.publish("to3/t", b"moved", qos=1)
    m = second.expect_publish()
    assert m.payload == b"moved"


def test_v5_empty_client_id_gets_assigned_identifier(broker, clients):
    """A 5.0 CONNECT with an empty client id is accepted with an Assigned Client Identifier
    that differs between clients and can be used to resume the session.
    [5.0:MQTT-3.1.3-6] [5.0:MQTT-3.1.3-7] [5.0:MQTT-3.2.2-16]"""
    expiry = props((P_SESSION_EXPIRY, 60))
    a = clients.raw(broker, "", version=5, clean=True, prop_bytes=expiry)
    b = clients.raw(broker, "", version=5, clean=True)
    assert (a.rc, a.session_present) == (0, 0) and b.rc == 0
    ida, idb = a.connack_props.get(P_ASSIGNED_CLIENT_ID), b.connack_props.get(P_ASSIGNED_CLIENT_ID)
    assert ida and idb and ida != idb
    a.subscribe(("aci/t", 1))
    a.disconnect()
    again = clients.raw(broker, ida, version=5, clean=False, prop_bytes=expiry)
    assert (again.rc, again.session_present) == (0, 1)
    assert P_ASSIGNED_CLIENT_ID not in again.connack_props


def test_v311_empty_client_id(broker, clients):
    """3.1.1: an empty client id with clean session 0 is refused with CONNACK 20 02 00 02 and
    the connection closed; with clean session 1 it is accepted.
    [3.1.1:MQTT-3.1.3-8] [3.1.1:MQTT-3.1.3-6] [3.1.1:MQTT-3.2.2-4] [3.1.1:MQTT-3.2.2-5]
    [3.1.1:MQTT-3.1.3-9]"""
    s = clients.raw_socket(broker)
    s.send(rawmqtt.connect("", version=4, clean=False))
    p = s.recv_packet()
    assert (p.type, p.flags, p.body) == (2, 0, b"\x00\x02")
    assert s.closed_by_server()
    ok = clients.raw(broker, "", version=4, clean=True)
    assert (ok.session_present, ok.rc) == (0, 0)


@pytest.mark.parametrize("value", ["1h", "2d", "1w", "1m", "1y", "never"])
def test_persistent_client_expiration_config_accepted(make_broker, clients, value):
    """`persistent_client_expiration` accepts VerneMQ's expiration forms; persistent sessions
    work under it (a session shorter than the setting survives a reconnect).
    [3.1.1:MQTT-3.1.2-4] [3.1.1:MQTT-3.2.2-2]"""
    broker = make_broker(extra_conf=f"persistent_client_expiration = {value}")
    c = clients.raw(broker, "pce", clean=False)
    c.subscribe(("pce/t", 1))
    c.disconnect()
    c = clients.raw(broker, "pce", clean=False)
    assert (c.session_present, c.rc) == (1, 0)


@pytest.mark.parametrize("version", [3, 4, 5])
def test_max_client_id_size_enforced(make_broker, clients, version):
    """With max_client_id_size = 10, a 10-byte id is accepted and an 11-byte id refused:
    CONNACK return code 2 (3.1/3.1.1) or reason 0x85 (5.0), then the connection is closed.
    [3.1.1:MQTT-3.1.3-9] [5.0:MQTT-3.1.3-8] [3.1.1:MQTT-3.2.2-5] [5.0:MQTT-3.2.2-7]
    [3.1.1:MQTT-3.2.2-4] [5.0:MQTT-3.2.2-6]"""
    broker = make_broker(extra_conf="max_client_id_size = 10")
    ok = clients.raw(broker, "a" * 10, version=version)
    assert ok.rc == 0
    s = clients.raw_socket(broker)
    s.send(rawmqtt.connect("b" * 11, version=version))
    sp, rc, _ = parse_connack(s.recv_packet(), version)
    assert (sp, rc) == (0, 0x85 if version == 5 else 2)
    assert s.closed_by_server()


def test_default_client_id_size_23_accepted(broker, clients):
    """By default a 23-byte client id of 0-9a-zA-Z is accepted, for 3.1 too.
    [3.1.1:MQTT-3.1.3-5] [5.0:MQTT-3.1.3-5]"""
    for v in (3, 4, 5):
        c = clients.raw(broker, ("Az09" * 6)[:22] + str(v), version=v)
        assert c.rc == 0
