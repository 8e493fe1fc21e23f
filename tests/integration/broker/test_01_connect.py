"""01: CONNECT and CONNACK with real clients and raw bytes."""
import rawmqtt


def test_connack_v311_accepted(broker):
    """The first packet from the server is a CONNACK with return code 0 (20 02 00 00).
    [3.1.1:MQTT-3.2.0-1] [3.1.1:MQTT-3.1.4-4]"""
    c = rawmqtt.RawClient(broker.port)
    c.send(rawmqtt.connect("c1", version=4))
    p = c.recv_packet()
    assert p.type == 2 and p.body == b"\x00\x00"


def test_first_packet_must_be_connect(broker):
    """Anything before CONNECT closes the connection. [3.1.1:MQTT-3.1.0-1] [5.0:MQTT-3.1.0-1]"""
    c = rawmqtt.RawClient(broker.port)
    c.send(rawmqtt.publish("a", b"x"))
    assert c.closed_by_server()
