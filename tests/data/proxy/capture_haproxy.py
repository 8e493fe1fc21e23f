#!/usr/bin/env python3
"""Captures real PROXY protocol headers from HAProxy for proxy_protocol_test.

Runs HAProxy (Debian's `haproxy` package) on loopback ephemeral ports with `send-proxy` and
`send-proxy-v2` servers in front of small capture listeners, connects through it with plain TCP
and TLS clients that send one MQTT 3.1.1 CONNECT, and writes for each case:

  <case>.bin     every byte the backend received: the PROXY header, then the CONNECT
  <case>.expect  key=value lines the test checks the parsed header against, taken from the
                 client side (its own address and port, the frontend's, the TLS session)

Health-check connections (`check` with send-proxy) are captured too: HAProxy sends the v2 LOCAL
command and the v1 line it builds for checks.

Usage: tests/data/proxy/capture_haproxy.py [output dir]   (default: this file's directory)
Needs haproxy and openssl on PATH. Starts and stops its own HAProxy; leaves nothing running.
"""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

CONNECT = bytes.fromhex("100e00044d5154540402003c00027070")  # MQTT 3.1.1 CONNECT, client id "pp"


def free_port(host):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class capture_listener:
    """Accepts connections on 127.0.0.1 and keeps each one's bytes until the peer closes."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.received = []
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn):
        data = b""
        conn.settimeout(5)
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        conn.close()
        with self.lock:
            self.received.append(data)

    def wait(self, count=1, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise RuntimeError(f"capture on port {self.port}: nothing received")


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)


def make_certs(d):
    """A CA, a server certificate, a CA-signed client (CN sensor-42), a self-signed one (intruder)."""
    def key(name):
        run(["openssl", "genrsa", "-out", f"{d}/{name}.key", "2048"])

    key("ca")
    run(["openssl", "req", "-x509", "-new", "-key", f"{d}/ca.key", "-subj", "/CN=TernMQ Test CA",
         "-days", "3650", "-out", f"{d}/ca.pem"])
    for name, cn in (("server", "broker.example"), ("client", "sensor-42")):
        key(name)
        run(["openssl", "req", "-new", "-key", f"{d}/{name}.key", "-subj", f"/CN={cn}", "-out", f"{d}/{name}.csr"])
        run(["openssl", "x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/ca.pem", "-CAkey", f"{d}/ca.key",
             "-CAcreateserial", "-days", "3650", "-out", f"{d}/{name}.pem"])
    key("intruder")
    run(["openssl", "req", "-x509", "-new", "-key", f"{d}/intruder.key", "-subj", "/CN=intruder",
         "-days", "3650", "-out", f"{d}/intruder.pem"])
    with open(f"{d}/server-bundle.pem", "w") as out:
        out.write(open(f"{d}/server.pem").read() + open(f"{d}/server.key").read())


def client(host, port, tls=None):
    """Connects, sends CONNECT, closes; returns what the client knows of both ends and of TLS."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family)
    s.connect((host, port))
    info = {"source": s.getsockname()[:2], "destination": s.getpeername()[:2]}
    if tls is not None:
        ctx, sni = tls
        s = ctx.wrap_socket(s, server_hostname=sni)
        info["tls_version"] = s.version()
        info["cipher"] = s.cipher()[0]
    s.sendall(CONNECT)
    time.sleep(0.2)
    s.close()
    return info


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    work = tempfile.mkdtemp(prefix="ternmq-haproxy-")
    haproxy = None
    try:
        make_certs(work)
        # case name -> (bind host, server options, tls frontend)
        v2_all = "send-proxy-v2 proxy-v2-options ssl,cert-cn,ssl-cipher,cert-sig,cert-key,authority,crc32c,unique-id"
        cases = {
            "haproxy_v1_tcp4": ("127.0.0.1", "send-proxy", False),
            "haproxy_v1_tcp6": ("::1", "send-proxy", False),
            "haproxy_v2_tcp4": ("127.0.0.1", "send-proxy-v2", False),
            "haproxy_v2_tcp6": ("::1", "send-proxy-v2", False),
            "haproxy_v2_tcp4_crc32c": ("127.0.0.1", "send-proxy-v2 proxy-v2-options crc32c", False),
            "haproxy_v2_ssl_verified_cn": ("127.0.0.1", v2_all, True),
            "haproxy_v2_ssl_unverified_cn": ("127.0.0.1", v2_all, True),
            "haproxy_v2_ssl_no_cert": ("127.0.0.1", v2_all, True),
            "haproxy_v2_ssl_option_on_plain": ("127.0.0.1", "send-proxy-v2-ssl-cn", False),
            # An IPv4 client on a dual-stack IPv6 listener: the kernel reports IPv4-mapped addresses.
            "haproxy_v1_v4v6": ("127.0.0.1", "send-proxy", False),
            "haproxy_v2_v4v6": ("127.0.0.1", "send-proxy-v2", False),
        }
        checks = {"haproxy_v1_health_check": "send-proxy", "haproxy_v2_health_check": "send-proxy-v2"}

        listeners = {name: capture_listener() for name in list(cases) + list(checks)}
        ports = {name: free_port(host) for name, (host, _, _) in cases.items()}
        cfg = [
            "global", "  log stderr format short local0 err",
            "defaults", "  mode tcp", "  timeout connect 2s", "  timeout client 5s", "  timeout server 5s",
        ]
        for name, (host, options, tls) in cases.items():
            bind = f"[{host}]:{ports[name]}" if ":" in host else f"{host}:{ports[name]}"
            if name.endswith("_v4v6"):
                bind = f":::{ports[name]} v4v6"
            if tls:
                bind += (f" ssl crt {work}/server-bundle.pem ca-file {work}/ca.pem verify optional"
                         " ca-ignore-err all crt-ignore-err all")
            cfg += [f"frontend fe_{name}", f"  bind {bind}", f"  default_backend be_{name}"]
            if "unique-id" in options:
                cfg += ['  unique-id-format "%{+X}o %ci:%cp_%fi:%fp_%Ts_%rt:%pid"']
            cfg += [f"backend be_{name}", f"  server s 127.0.0.1:{listeners[name].port} {options}"]
        for name, options in checks.items():
            cfg += [f"backend be_{name}", f"  server s 127.0.0.1:{listeners[name].port} {options} check inter 300ms"]
        cfg_path = f"{work}/haproxy.cfg"
        with open(cfg_path, "w") as f:
            f.write("\n".join(cfg) + "\n")

        haproxy = subprocess.Popen(["haproxy", "-db", "-f", cfg_path])
        time.sleep(1.0)

        def ctx(cert=None):
            c = ssl.create_default_context(cafile=f"{work}/ca.pem")
            if cert:
                c.load_cert_chain(f"{work}/{cert}.pem", f"{work}/{cert}.key")
            return c

        tls_for = {
            "haproxy_v2_ssl_verified_cn": ("client", "sensor-42", "1"),
            "haproxy_v2_ssl_unverified_cn": ("intruder", "intruder", "0"),
            "haproxy_v2_ssl_no_cert": (None, None, "0"),
        }
        for name, (host, options, tls) in cases.items():
            if tls:
                cert, cn, verified = tls_for[name]
                info = client(host, ports[name], (ctx(cert), "broker.example"))
            else:
                info = client(host, ports[name])
            data = listeners[name].wait()[0]
            v2 = "v2" in options or "ssl-cn" in options
            src, dst = info["source"][0], info["destination"][0]
            if name.endswith("_v4v6"):  # HAProxy passes the mapped form on, as TCP6 / AF_INET6
                src, dst = "::ffff:" + src, "::ffff:" + dst
            expect = {
                "version": "2" if v2 else "1",
                "local": "0",
                "family": "inet6" if ":" in src else "inet",
                "source_address": src,
                "source_port": str(info["source"][1]),
                "destination_address": dst,
                "destination_port": str(info["destination"][1]),
                "crc32c_verified": "1" if "crc32c" in options else "0",
                "ssl_tlv": "1" if "ssl" in options else "0",
                "ssl": "1" if tls else "0",
                "ssl_client_cert": "0",
                "ssl_cert_verified": "0",
            }
            if tls:
                expect.update({
                    "ssl_client_cert": "1" if cert else "0",
                    "ssl_cert_verified": verified,
                    "ssl_version": info["tls_version"],
                    "ssl_cipher": info["cipher"],
                    "authority": "broker.example",
                    "unique_id": "present",
                    # These two describe HAProxy's own (frontend) certificate, from make_certs.
                    "ssl_sig_alg": "RSA-SHA256",
                    "ssl_key_alg": "RSA2048",
                })
                if cn:
                    expect["ssl_common_name"] = cn
            expect["payload_hex"] = CONNECT.hex()
            write_case(out_dir, name, data, expect)
        # Checks: v2 sends LOCAL; v1 sends a TCP4 line with the check connection's own endpoints.
        data = listeners["haproxy_v2_health_check"].wait()[0]
        write_case(out_dir, "haproxy_v2_health_check", data,
                   {"version": "2", "local": "1", "family": "unspecified", "payload_hex": ""})
        data = listeners["haproxy_v1_health_check"].wait()[0]
        write_case(out_dir, "haproxy_v1_health_check", data, {
            "version": "1", "local": "0", "family": "inet", "source_address": "127.0.0.1",
            "destination_address": "127.0.0.1",
            "destination_port": str(listeners["haproxy_v1_health_check"].port), "payload_hex": ""})
    finally:
        if haproxy is not None:
            haproxy.terminate()
            haproxy.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def write_case(out_dir, name, data, expect):
    with open(os.path.join(out_dir, f"{name}.bin"), "wb") as f:
        f.write(data)
    with open(os.path.join(out_dir, f"{name}.expect"), "w") as f:
        f.write("".join(f"{k}={v}\n" for k, v in expect.items()))
    print(f"{name}: {len(data)} bytes: {data[:120]!r}")


if __name__ == "__main__":
    main()
