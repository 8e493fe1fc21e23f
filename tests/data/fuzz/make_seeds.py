#!/usr/bin/env python3
"""Writes the seed corpus of the `decoder_fuzz` target: one small valid packet (or stream of
packets) per file, covering every packet type in MQTT 3.1, 3.1.1 and 5.0. The bytes are built
here by hand, not by the codec under test, so a seed is an independent statement of the wire
format. Run once after changing it: python3 tests/data/fuzz/make_seeds.py
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "decoder")


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def u16(n):
    return struct.pack(">H", n)


def u32(n):
    return struct.pack(">I", n)


def s(text):
    data = text.encode() if isinstance(text, str) else text
    return u16(len(data)) + data


def props(*items):
    body = b"".join(items)
    return varint(len(body)) + body


def packet(first, body):
    return bytes([first]) + varint(len(body)) + body


USER = b"\x26" + s("k") + s("v")

SEEDS = {
    "v31_connect": packet(0x10, s("MQIsdp") + bytes([3, 0x02]) + u16(60) + s("c31")),
    "v311_connect_will_user_password": packet(
        0x10, s("MQTT") + bytes([4, 0xEE]) + u16(60) + s("c") + s("w/t") + s(b"\x00bye") + s("u") + s(b"p\xff")),
    "v5_connect_all_properties": packet(
        0x10, s("MQTT") + bytes([5, 0xF6]) + u16(30)
        + props(b"\x11" + u32(3600), b"\x21" + u16(20), b"\x27" + u32(65536), b"\x22" + u16(5),
                b"\x19\x01", b"\x17\x00", b"\x15" + s("SCRAM"), b"\x16" + s(b"\x01\x02"), USER)
        + s("client-5")
        + props(b"\x18" + u32(10), b"\x01\x01", b"\x02" + u32(60), b"\x03" + s("text/plain"),
                b"\x08" + s("reply"), b"\x09" + s(b"\x00\x01"), USER)
        + s("will/topic") + s("gone") + s("user") + s("pass")),
    "v5_connack_properties": packet(
        0x20, bytes([0x01, 0x00])
        + props(b"\x11" + u32(0), b"\x21" + u16(10), b"\x24\x01", b"\x25\x01", b"\x27" + u32(1024),
                b"\x12" + s("auto-1"), b"\x22" + u16(3), b"\x1F" + s("ok"), b"\x28\x01", b"\x29\x01",
                b"\x2A\x00", b"\x13" + u16(20), b"\x1A" + s("resp"), b"\x1C" + s("srv"), USER)),
    "v311_publish_qos1": packet(0x32, s("a/b") + u16(1) + b"hello"),
    "v5_publish_qos2_properties": packet(
        0x3D, s("sensors/temp") + u16(7)
        + props(b"\x01\x01", b"\x02" + u32(30), b"\x03" + s("json"), b"\x08" + s("r/t"),
                b"\x09" + s(b"\xde\xad"), b"\x0B" + varint(42), b"\x23" + u16(2), USER)
        + b'{"t":21}'),
    "v5_puback_reason_properties": packet(0x40, u16(1) + b"\x10" + props(b"\x1F" + s("none"), USER)),
    "v5_pubrec_pubrel_pubcomp": packet(0x50, u16(2)) + packet(0x62, u16(2) + b"\x92") + packet(0x70, u16(2)),
    "v5_subscribe_options": packet(
        0x82, u16(3) + props(b"\x0B" + varint(268435455), USER)
        + s("a/+/c") + b"\x2E" + s("$share/g/x/#") + b"\x01" + s("#") + b"\x10"),
    "v311_subscribe_suback": packet(0x82, u16(4) + s("a/#") + b"\x01") + packet(0x90, u16(4) + b"\x01\x80"),
    "v5_unsubscribe_unsuback": packet(0xA2, u16(5) + props(USER) + s("a/+/c") + s("#"))
    + packet(0xB0, u16(5) + props(b"\x1F" + s("r")) + b"\x00\x11"),
    "v311_ping_disconnect": packet(0xC0, b"") + packet(0xD0, b"") + packet(0xE0, b""),
    "v5_disconnect_properties": packet(
        0xE0, b"\x04" + props(b"\x11" + u32(60), b"\x1F" + s("bye"), b"\x1C" + s("other"), USER)),
    "v5_auth": packet(0xF0, b"\x18" + props(b"\x15" + s("SCRAM"), b"\x16" + s(b"\x00\x01"), b"\x1F" + s("go"), USER)),
    "v311_session_stream": packet(0x10, s("MQTT") + bytes([4, 0x02]) + u16(10) + s("s"))
    + packet(0x82, u16(1) + s("t/#") + b"\x02")
    + packet(0x34, s("t/1") + u16(2) + b"x")
    + packet(0x62, u16(2))
    + packet(0xA2, u16(3) + s("t/#"))
    + packet(0xC0, b"") + packet(0xE0, b""),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
