"""01: CONNECT and CONNACK with real clients and raw bytes."""
import rawmqtt


def test_connack_v311_accepted(broker):
    c = rawmqtt.RawClient(broker.port)
    c.send(rawmqtt.connect("c1", version=4))
    p = c.recv_packet()
    assert p.type == 2 and p.body == b"\x00\x00"


def test_first_packet_must_be_connect(broker):
    """MQTT-3.1.0-1: anything before CONNECT closes the connection."""
    c = rawmqtt.RawClient(broker.port)
    c.send(rawmqtt.publish("a", b"x"))
    assert c.closed_by_server()
