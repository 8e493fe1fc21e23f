"""13: a killed node loses no acknowledged QoS 1/2 message (LevelDB message store)."""
import paho.mqtt.client as mqtt

import pytest

from conftest import wait_for


@pytest.fixture
def cleanup():
    started = []
    yield started
    problems = [p for b in started for p in b.stop_and_check()]
    assert not problems, problems


def restart(old, make_broker_cleanup):
    """Kills `old` with SIGKILL and starts a broker on the same data directory."""
    new = old.kill_and_restart()
    make_broker_cleanup.append(new)
    return new


def connect(port, client_id, version=mqtt.MQTTv311, clean=False):
    received = []
    c = mqtt.Client(client_id=client_id, clean_session=clean, protocol=version)
    c.on_message = lambda _c, _u, m: received.append((m.topic, m.payload, m.qos))
    c.connect("127.0.0.1", port)
    c.loop_start()
    return c, received


def test_offline_messages_survive_sigkill(make_broker, cleanup):
    """Messages acknowledged to the publisher while the subscriber was offline are delivered
    after the broker is killed with SIGKILL and restarted. [3.1.1:MQTT-3.1.2-4] [3.1.1:MQTT-3.1.2-5]"""
    b = make_broker()
    sub, _ = connect(b.port, "persistent-sub")
    sub.subscribe("keep/#", qos=2)
    wait_for(lambda: b.read_log().count("connected") >= 1)
    sub.disconnect()
    sub.loop_stop()

    pub = mqtt.Client(client_id="pub", protocol=mqtt.MQTTv311)
    pub.connect("127.0.0.1", b.port)
    pub.loop_start()
    infos = [pub.publish("keep/%d" % i, b"m%d" % i, qos=1 + i % 2) for i in range(20)]
    for info in infos:
        info.wait_for_publish()  # PUBACK / PUBCOMP received: the broker acknowledged it
    pub.disconnect()
    pub.loop_stop()

    b2 = restart(b, cleanup)
    sub, received = connect(b2.port, "persistent-sub")
    assert wait_for(lambda: len(received) >= 20, timeout=10)
    assert sorted(p for _, p, _ in received) == sorted(b"m%d" % i for i in range(20))
    sub.disconnect()
    sub.loop_stop()


def test_retained_and_subscriptions_survive_sigkill(make_broker, cleanup):
    """Retained messages and a persistent session's subscriptions come back after SIGKILL."""
    b = make_broker()
    sub, _ = connect(b.port, "s2")
    sub.subscribe("live/#", qos=1)
    sub.disconnect()
    sub.loop_stop()
    pub = mqtt.Client(client_id="p2")
    pub.connect("127.0.0.1", b.port)
    pub.loop_start()
    pub.publish("state/x", b"retained-value", qos=1, retain=True).wait_for_publish()
    pub.disconnect()
    pub.loop_stop()

    b2 = restart(b, cleanup)
    # The restored subscription routes a message published after the restart.
    sub, received = connect(b2.port, "s2")
    pub = mqtt.Client(client_id="p3")
    pub.connect("127.0.0.1", b2.port)
    pub.loop_start()
    pub.publish("live/1", b"after-restart", qos=1).wait_for_publish()
    assert wait_for(lambda: (("live/1", b"after-restart", 1) in received))
    # The retained message is still there for a new subscriber.
    other, got = connect(b2.port, "fresh", clean=True)
    other.subscribe("state/#", qos=1)
    assert wait_for(lambda: any(p == b"retained-value" for _, p, _ in got))
    for c in (sub, pub, other):
        c.disconnect()
        c.loop_stop()


def test_clean_sessions_leave_nothing_behind(make_broker, cleanup):
    """A clean session is not restored after a restart. [3.1.1:MQTT-3.1.2-6]"""
    b = make_broker()
    c, _ = connect(b.port, "ephemeral", clean=True)
    c.subscribe("x/#", qos=1)
    c.disconnect()
    c.loop_stop()
    b2 = restart(b, cleanup)
    assert wait_for(lambda: "0 sessions" in b2.read_log())
