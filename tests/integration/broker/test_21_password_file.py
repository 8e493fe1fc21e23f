"""21: vmq_passwd: authentication against password files written by `ternmq-passwd` and by
Debian's `mosquitto_passwd` ($7$ PBKDF2 and `-H sha512` $6$), with mosquitto_pub/mosquitto_sub,
paho-mqtt and raw CONNECTs for the exact CONNACK codes; reload without restart; malformed files.

Users of the password file every test starts from:
    carol  mosquitto_passwd, $7$ (PBKDF2-SHA512, 101 iterations)
    dave   mosquitto_passwd -H sha512, $6$
    alice  ternmq-passwd, $pbkdf2-sha512$ (added to the mosquitto file, which must survive)
    bob    ternmq-passwd
"""
import os
import shutil
import subprocess
import threading

import paho.mqtt.client as mqtt
import pytest

import rawmqtt
from broker_util import conf_broker, conns, log_size, start_fails, wait_log, write_atomic  # noqa: F401 (fixtures)
from clients import MosqSub
from conftest import BIN, wait_for

PASSWD = os.path.join(os.path.dirname(BIN), "ternmq-passwd")
PASSWORDS = {"carol": "carol-Pw7!", "dave": "dave-Pw6#", "alice": "alice-PBKDF2-s3cret", "bob": "bob:with:colons"}
SCHEMES = {"carol": "$7$", "dave": "$6$", "alice": "$pbkdf2-sha512$", "bob": "$pbkdf2-sha512$"}
WRONG = "Wr0ng-Passw0rd-xyz"


def ternmq_passwd(*args, password=None):
    r = subprocess.run([PASSWD, *args], input=None if password is None else password + "\n",
                       capture_output=True, text=True, timeout=30)
    return r


@pytest.fixture(scope="module")
def master_file(tmp_path_factory):
    """The password file described in the module docstring, made once per module."""
    path = str(tmp_path_factory.mktemp("passwd") / "vmq.passwd")
    open(path, "w").close()
    for user, extra in (("carol", []), ("dave", ["-H", "sha512"])):
        r = subprocess.run(["mosquitto_passwd", *extra, "-b", path, user, PASSWORDS[user]], capture_output=True,
                           text=True, timeout=30)
        assert r.returncode == 0, r.stderr
    for user in ("alice", "bob"):
        r = ternmq_passwd(path, user, password=PASSWORDS[user])
        assert r.returncode == 0, r.stderr
    text = open(path).read()
    for user, scheme in SCHEMES.items():
        assert f"\n{user}:{scheme}" in "\n" + text, text
    return path


@pytest.fixture
def pw(master_file, tmp_path):
    """This test's copy of the password file."""
    path = str(tmp_path / "vmq.passwd")
    shutil.copy(master_file, path)
    return path


def conf(pw_path, extra=""):
    return "\n".join(["listener.tcp.default = 127.0.0.1:0",
                      "allow_anonymous = off",
                      f"vmq_passwd.password_file = {pw_path}",
                      "vmq_passwd.password_reload_interval = 1",
                      "log.console.level = debug", extra]) + "\n"


def port_of(b):
    return b.ports["tcp.default"]


def mosq(tool_args, port, user, password, version="mqttv311"):
    args = [*tool_args, "-h", "127.0.0.1", "-p", str(port), "-V", version, "-u", user]
    if password is not None:
        args += ["-P", password]
    return args


def wait_reloaded(b, after):
    return wait_log(b, "vmq_passwd: reloaded", timeout=5, after=after)


# ---------------------------------------------------------------------------------------------
# Accepted and refused credentials
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["mqttv311", "mqttv5"])
@pytest.mark.parametrize("user", ["carol", "dave", "alice"])
def test_right_password_accepted_by_mosquitto_clients(conf_broker, pw, user, version):
    """mosquitto_sub and mosquitto_pub log in with the right password of a $7$, $6$ and
    ternmq-passwd user and exchange a QoS 1 message. 3.1.1:MQTT-3.1.4-4 / 5.0:MQTT-3.1.4-5."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    v = {"mqttv311": "3.1.1", "mqttv5": "5.0"}[version]
    sub = MosqSub(port, [f"pw/{user}"], version=v, qos=1, extra=["-u", user, "-P", PASSWORDS[user]])
    try:
        sub.wait_subscribed()
        r = subprocess.run(mosq(["mosquitto_pub", "-q", "1", "-t", f"pw/{user}", "-m", "in"], port, user,
                                PASSWORDS[user], version), capture_output=True, text=True, timeout=20)
        assert r.returncode == 0, r.stderr
        assert sub.wait_exit() == 0
        assert [(m.topic, m.payload) for m in sub.messages] == [(f"pw/{user}", b"in")]
    finally:
        sub.kill()


@pytest.mark.parametrize("user", ["carol", "dave", "alice", "bob"])
def test_right_password_raw_connack(conf_broker, conns, pw, user):
    """Raw CONNECT with the right password: CONNACK 0 on 3.1.1 and 0x00 on 5.0 (bob's password
    holds colons). 3.1.1:MQTT-3.1.4-4 / 5.0:MQTT-3.1.4-5."""
    b = conf_broker(conf(pw))
    assert conns(port_of(b), "ok3", 4, username=user, password=PASSWORDS[user]).rc == 0
    assert conns(port_of(b), "ok5", 5, username=user, password=PASSWORDS[user]).rc == 0


@pytest.mark.parametrize("user", ["carol", "dave", "alice"])
def test_wrong_password_refused(conf_broker, conns, pw, user):
    """A wrong password: 3.1.1 CONNACK 4 (bad user name or password), 5.0 CONNACK 0x86, session
    present 0, then the connection is closed; mosquitto_pub reports the refusal too.
    3.1.1:MQTT-3.2.2-4, 3.1.1:MQTT-3.2.2-5, 5.0:MQTT-3.1.4-2, 5.0:MQTT-3.2.2-6, 5.0:MQTT-3.2.2-7."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    # a successful login first: the broker caches it, and the cache must not let a wrong
    # password through
    assert conns(port, "good", 4, username=user, password=PASSWORDS[user]).rc == 0
    assert conns.refused(port, "bad3", 4, username=user, password=WRONG) == 4
    assert conns.refused(port, "bad5", 5, username=user, password=WRONG) == 0x86
    # a password that is the right one plus a character, and the right one minus its last
    assert conns.refused(port, "bad3b", 4, username=user, password=PASSWORDS[user] + "x") == 4
    assert conns.refused(port, "bad3c", 4, username=user, password=PASSWORDS[user][:-1]) == 4
    r = subprocess.run(mosq(["mosquitto_pub", "-t", "t", "-m", "m"], port, user, WRONG), capture_output=True,
                       text=True, timeout=20)
    assert r.returncode != 0
    assert "bad user name or password" in (r.stdout + r.stderr).lower(), r.stderr


def test_wrong_password_refused_for_paho(conf_broker, pw):
    """paho-mqtt 3.1.1 and 5.0 with a wrong password get rc 4 / reason 0x86 in on_connect.
    5.0:MQTT-3.1.4-2."""
    b = conf_broker(conf(pw))
    for proto, expected in ((mqtt.MQTTv311, 4), (mqtt.MQTTv5, 0x86)):
        got, done = [], threading.Event()
        c = mqtt.Client(client_id="paho-bad", protocol=proto)
        c.username_pw_set("alice", WRONG)
        c.on_connect = lambda cl, u, f, rc, p=None: (got.append(rc), done.set())
        c.connect("127.0.0.1", port_of(b), 30)
        c.loop_start()
        try:
            assert done.wait(5), "paho got no CONNACK"
            rc = got[0]
            assert getattr(rc, "value", rc) == expected
        finally:
            c.disconnect()
            c.loop_stop()


def test_unknown_user_refused(conf_broker, conns, pw):
    """A user name not in the file (with any password, even another user's) is refused like a
    bad password: 4 / 0x86. A user name differing only in case is another user.
    5.0:MQTT-3.1.4-2, 3.1.1:MQTT-3.2.2-5."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    assert conns.refused(port, "u3", 4, username="mallory", password=PASSWORDS["alice"]) == 4
    assert conns.refused(port, "u5", 5, username="mallory", password=WRONG) == 0x86
    assert conns.refused(port, "u3b", 4, username="Alice", password=PASSWORDS["alice"]) == 4


def test_no_username_refused(conf_broker, conns, pw):
    """allow_anonymous = off: a CONNECT without user name is refused as not authorized, 3.1.1
    CONNACK 5 and 5.0 0x87 (also a 5.0 CONNECT with a password and no user name); a user name
    without password is refused too. 5.0:MQTT-3.1.4-2,
    3.1.1:MQTT-3.2.2-4, 3.1.1:MQTT-3.2.2-5."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    assert conns.refused(port, "anon3", 4) == 5
    assert conns.refused(port, "anon5", 5) == 0x87
    assert conns.refused(port, "anon31", 3) == 5
    assert conns.refused(port, "pwonly5", 5, password=PASSWORDS["alice"]) == 0x87  # 5.0 allows it
    assert conns.refused(port, "nopw3", 4, username="alice") in (4, 5)
    assert conns.refused(port, "nopw5", 5, username="alice") in (0x86, 0x87)
    r = subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-t", "t", "-m", "m"],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode != 0 and "not authorised" in (r.stdout + r.stderr).lower(), r.stderr


def test_without_password_file_only_anonymous_is_off(conf_broker, conns, tmp_path):
    """allow_anonymous = off and no password file: every CONNECT, with or without credentials, is
    refused as not authorized (3.1.1 rc 5, 5.0 0x87); with allow_anonymous = on the same
    CONNECTs succeed whatever the password (authentication is skipped entirely).
    5.0:MQTT-3.1.4-2, 3.1.1:MQTT-3.2.2-5."""
    base = ["listener.tcp.default = 127.0.0.1:0", "log.console.level = debug"]
    off = conf_broker("\n".join(base + ["allow_anonymous = off"]) + "\n")
    assert conns.refused(port_of(off), "n3", 4, username="alice", password=PASSWORDS["alice"]) == 5
    assert conns.refused(port_of(off), "n5", 5, username="alice", password=PASSWORDS["alice"]) == 0x87
    assert conns.refused(port_of(off), "n5b", 5) == 0x87
    pw_path = tmp_path / "unused.passwd"
    pw_path.write_text("")
    on = conf_broker("\n".join(base + ["allow_anonymous = on", f"vmq_passwd.password_file = {pw_path}"]) + "\n")
    assert conns(port_of(on), "y3", 4, username="alice", password=WRONG).rc == 0
    assert conns(port_of(on), "y5", 5, username="nobody", password=WRONG).rc == 0
    assert conns(port_of(on), "y5b", 5).rc == 0


def test_refused_connect_processes_nothing_after_it(conf_broker, conns, pw):
    """A PUBLISH sent right behind a CONNECT with a wrong password (same TCP segment) is not
    processed: an authenticated subscriber gets nothing. 3.1.1:MQTT-3.1.4-5, 5.0:MQTT-3.1.4-6."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    sub = conns(port, "watcher", 4, username="bob", password=PASSWORDS["bob"])
    sub.subscribe("leak/#")
    for version in (4, 5):
        c = rawmqtt.RawClient(port)
        try:
            c.send(rawmqtt.connect(f"sneaky{version}", version=version, username="alice", password=WRONG)
                   + rawmqtt.publish("leak/x", b"should not arrive", version=version))
            p = c.recv_packet()
            assert p.type == 2 and p.body[1] in (4, 0x86)
            assert c.closed_by_server()
        finally:
            c.close()
    assert sub.nothing_for(0.4)


# ---------------------------------------------------------------------------------------------
# Reload without restart
# ---------------------------------------------------------------------------------------------
def test_delete_add_and_change_users_then_reload(conf_broker, conns, pw):
    """password_reload_interval = 1: `ternmq-passwd -D alice` takes alice's access away without
    restart (even right after successful logins, which the broker caches); a user added with
    ternmq-passwd and a changed password take effect the same way; the others are untouched.
    No normative statement (VerneMQ feature)."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    for i in range(2):
        assert conns(port, f"a{i}", 4, username="alice", password=PASSWORDS["alice"]).rc == 0
    at = log_size(b)
    r = ternmq_passwd("-D", pw, "alice")
    assert r.returncode == 0, r.stderr
    assert "alice:" not in open(pw).read()
    assert wait_reloaded(b, at), "no reload logged:\n" + b.read_log()[-2000:]
    assert conns.refused(port, "a-gone", 4, username="alice", password=PASSWORDS["alice"]) == 4
    assert conns.refused(port, "a-gone5", 5, username="alice", password=PASSWORDS["alice"]) == 0x86
    assert conns(port, "c-still", 4, username="carol", password=PASSWORDS["carol"]).rc == 0

    assert ternmq_passwd(pw, "erin", password="erin-new-pw").returncode == 0
    assert ternmq_passwd(pw, "bob", password="bob-changed").returncode == 0
    # Two writes may be picked up by one reload or by two: wait for the outcome of the second.
    assert wait_for(lambda: conns(port, "bob-probe", 4, username="bob", password="bob-changed").rc == 0,
                    timeout=10), "bob's new password never took effect:\n" + b.read_log()[-2000:]
    assert conns(port, "erin", 5, username="erin", password="erin-new-pw").rc == 0
    assert conns(port, "bob-new", 4, username="bob", password="bob-changed").rc == 0
    assert conns.refused(port, "bob-old", 4, username="bob", password=PASSWORDS["bob"]) == 4
    # mosquitto's entries survived ternmq-passwd's rewrites
    assert conns(port, "dave", 4, username="dave", password=PASSWORDS["dave"]).rc == 0


def test_malformed_line_at_runtime_keeps_previous_file(conf_broker, conns, pw, tmp_path):
    """A malformed line appended while running: the error is logged as FILE:LINE and the previous
    table stays in force (alice still logs in; a user added in the same bad edit does not);
    once the file is fixed it is loaded. No normative statement (VerneMQ feature)."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    scratch = str(tmp_path / "scratch.passwd")
    assert ternmq_passwd("-c", scratch, "frank", password="frank-pw").returncode == 0
    frank_line = open(scratch).read()
    good = open(pw).read()
    bad_line_no = len(good.splitlines()) + 2
    at = log_size(b)
    write_atomic(pw, good + frank_line + "this line has no colon\n")
    assert wait_log(b, f"{pw}:{bad_line_no}:", timeout=5, after=at), \
        "FILE:LINE not logged:\n" + b.read_log()[at:]
    assert "keeping the previous password file" in b.read_log()[at:]
    assert "this line has no colon" not in b.read_log()
    assert conns(port, "alice", 4, username="alice", password=PASSWORDS["alice"]).rc == 0
    assert conns.refused(port, "frank", 4, username="frank", password="frank-pw") == 4

    at = log_size(b)
    write_atomic(pw, good + frank_line)
    assert wait_reloaded(b, at)
    assert conns(port, "frank2", 4, username="frank", password="frank-pw").rc == 0


def test_password_file_removed_at_runtime_keeps_previous(conf_broker, conns, pw):
    """The password file deleted while running: the error is logged, the loaded users keep
    working; recreated, it is loaded again. No normative statement (VerneMQ feature)."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    saved = open(pw).read()
    at = log_size(b)
    os.unlink(pw)
    assert wait_log(b, "keeping the previous password file", after=at), b.read_log()[at:]
    assert pw in b.read_log()[at:]
    assert conns(port, "still", 5, username="dave", password=PASSWORDS["dave"]).rc == 0
    assert conns.refused(port, "still-bad", 5, username="dave", password=WRONG) == 0x86
    at = log_size(b)
    write_atomic(pw, saved.replace("dave:", "dave2:"))
    assert wait_reloaded(b, at)
    assert conns.refused(port, "dave-gone", 4, username="dave", password=PASSWORDS["dave"]) == 4
    assert conns(port, "dave2", 4, username="dave2", password=PASSWORDS["dave"]).rc == 0


# ---------------------------------------------------------------------------------------------
# Malformed file at start-up; secrets in the log
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad,reason", [
    ("no colon on this line", "expected username:hash"),
    ("eve:plaintextSecret99", "not a password hash"),
    ("eve:$5$abc$def", "unknown hash scheme"),
    ("eve:$7$101$!!!!$AAAA", "bad base64"),
    ("REPEAT", "username repeated (first on line 3)"),
])
def test_malformed_password_file_refuses_start(master_file, tmp_path, bad, reason):
    """A malformed password file at start-up: the broker exits non-zero, names FILE:LINE and the
    reason, and never quotes the line (which might be a password). No normative statement
    (VerneMQ feature)."""
    path = str(tmp_path / "bad.passwd")
    good = open(master_file).read()
    if bad == "REPEAT":  # carol's valid entry (line 3) once more
        bad = good.splitlines()[0]
    text = "# comment\n\n" + good + bad + "\n"
    with open(path, "w") as f:
        f.write(text)
    line_no = len(text.splitlines())
    rc, err, out = start_fails(conf(path), tmp_path / "b")
    assert rc != 0, err
    assert f"{path}:{line_no}:" in err, err
    assert reason in err, err
    assert "plaintextSecret99" not in err + out
    assert "listening on" not in out


def test_log_never_contains_passwords(conf_broker, conns, pw):
    """At log level debug, successful and refused logins (raw, mosquitto_pub 3.1.1 and 5.0) and a
    reload that fails on a plain-text password line never put a password into the log.
    No normative statement (VerneMQ feature)."""
    b = conf_broker(conf(pw))
    port = port_of(b)
    typo = "Typo-Secret-Value-123"
    assert conns(port, "l1", 4, username="alice", password=PASSWORDS["alice"]).rc == 0
    assert conns.refused(port, "l2", 5, username="alice", password=typo) == 0x86
    assert conns.refused(port, "l3", 4, username=typo, password=typo) == 4
    for version in ("mqttv311", "mqttv5"):
        subprocess.run(mosq(["mosquitto_pub", "-t", "t", "-m", "m"], port, "carol", PASSWORDS["carol"], version),
                       capture_output=True, timeout=20)
        subprocess.run(mosq(["mosquitto_pub", "-t", "t", "-m", "m"], port, "carol", typo, version),
                       capture_output=True, timeout=20)
    at = log_size(b)
    write_atomic(pw, open(pw).read() + f"gina:{typo}\n")
    assert wait_log(b, "keeping the previous password file", timeout=5, after=at)
    log = b.read_log()
    assert "alice" in log or "connected" in log  # the log does record the logins
    for secret in list(PASSWORDS.values()) + [typo]:
        assert secret not in log, f"password {secret!r} in the broker log"
