"""A throw-away PKI for the TLS tests, made with the `openssl` command line (Debian 12's
OpenSSL 3.0), never with the broker's code.

`make_pki(dir)` writes, under `dir`:

- `ca.pem` / `ca.key`: the test CA (an `openssl ca` database, so it can revoke and sign with
  explicit dates);
- `server.pem` / `server.key`: CN localhost, subjectAltName IP:127.0.0.1 and DNS:localhost;
- `client.pem` / `client.key`: CN `device-1`, valid now;
- `expired.pem` / `expired.key`: CN `device-old`, valid 2020-01-01 .. 2020-01-02;
- `revoked.pem` / `revoked.key`: CN `device-revoked`, revoked in `crl.pem`;
- `crl.pem`: the CA's CRL listing `revoked.pem`;
- `other-ca.pem` and `rogue.pem` / `rogue.key`: CN `device-1` again, signed by another CA;
- `other.key`: an RSA key that matches no certificate.

and returns a `Pki` with the paths as attributes.
"""
import os
import subprocess

CA_CONF = """\
[ ca ]
default_ca = testca

[ testca ]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}/newcerts
serial = {dir}/serial
crlnumber = {dir}/crlnumber
certificate = {cert}
private_key = {key}
default_md = sha256
default_days = 30
default_crl_days = 30
policy = anything
unique_subject = no
copy_extensions = none
x509_extensions = client_ext

[ anything ]
commonName = supplied

[ client_ext ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth

[ server_ext ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost

[ req ]
distinguished_name = dn
prompt = no

[ dn ]
CN = unused
"""


def openssl(*args, cwd=None):
    r = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


class Pki:
    def __init__(self, d):
        self.dir = d
        for name in ("ca", "server", "client", "expired", "revoked", "other-ca", "rogue"):
            setattr(self, name.replace("-", "_") + "_pem", os.path.join(d, name + ".pem"))
            setattr(self, name.replace("-", "_") + "_key", os.path.join(d, name + ".key"))
        self.crl_pem = os.path.join(d, "crl.pem")
        self.other_key = os.path.join(d, "other.key")


def _ca(d, name, cn):
    """A self-signed CA with its own `openssl ca` database in d/<name>-db."""
    db = os.path.join(d, name + "-db")
    os.makedirs(os.path.join(db, "newcerts"))
    open(os.path.join(db, "index.txt"), "w").close()
    with open(os.path.join(db, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(db, "crlnumber"), "w") as f:
        f.write("01\n")
    cert, key = os.path.join(d, name + ".pem"), os.path.join(d, name + ".key")
    conf = os.path.join(db, "ca.cnf")
    with open(conf, "w") as f:
        f.write(CA_CONF.format(dir=db, cert=cert, key=key))
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "30",
            "-subj", f"/CN={cn}", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-config", conf)
    return conf


def _leaf(d, conf, name, cn, ext="client_ext", start=None, end=None):
    key, csr, cert = (os.path.join(d, name + s) for s in (".key", ".csr", ".pem"))
    openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={cn}",
            "-config", conf)
    dates = ["-startdate", start, "-enddate", end] if start else ["-days", "30"]
    openssl("ca", "-batch", "-config", conf, "-extensions", ext, "-in", csr, "-out", cert, "-notext", *dates)
    os.unlink(csr)


def make_pki(d):
    conf = _ca(d, "ca", "TernMQ Test CA")
    _leaf(d, conf, "server", "localhost", ext="server_ext")
    _leaf(d, conf, "client", "device-1")
    _leaf(d, conf, "expired", "device-old", start="20200101000000Z", end="20200102000000Z")
    _leaf(d, conf, "revoked", "device-revoked")
    openssl("ca", "-batch", "-config", conf, "-revoke", os.path.join(d, "revoked.pem"))
    openssl("ca", "-batch", "-config", conf, "-gencrl", "-out", os.path.join(d, "crl.pem"))
    other_conf = _ca(d, "other-ca", "Some Other CA")
    _leaf(d, other_conf, "rogue", "device-1")
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", os.path.join(d, "other.key"))
    return Pki(d)
