"""What the DC/OS machinery does with the package files, done here with real implementations:

- Cosmos: merge config.json defaults with the options, validate against the draft-04 schema,
  render universe/marathon.json.mustache (mustache.java with HTML escaping off, strings
  JSON-escaped, numbers as Java prints them: PackageDefinitionRenderer).
- The scheduler: render svc.yml with the Marathon app's environment ("true"/"false" become
  booleans) and parse it as YAML; build each task's environment (svc.yml env, PORT_* env keys,
  TASK_NAME, FRAMEWORK_HOST ...) and render ternmq.conf.mustache with it.
- An operator: render edge-lb/pool.json.mustache with the resolved options and pool settings.

The mustache implementation is pystache (Debian python3-pystache)."""
from __future__ import annotations

import copy
import decimal
import json
import os
import pathlib
import re
import shutil

import jsonschema
import pystache
import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OPTIONS_DIR = HERE / "options"
CONFIG_JSON = ROOT / "config.json"
UNIVERSE = ROOT / "universe"
SVC_YML = ROOT / "svc.yml"
CONF_TEMPLATE = ROOT / "ternmq.conf.mustache"
POOL_TEMPLATE = ROOT / "edge-lb" / "pool.json.mustache"

INT32_MAX = 2**31 - 1
TASK_NAME_FORMAT = "node-{index}-broker"  # pod `node`, task `broker`

# Env the Marathon app gets from Marathon itself, not from the package (visible to svc.yml).
MARATHON_ENV = {"PORT_API": "10000", "PORT0": "10000", "PORTS": "10000", "MESOS_SANDBOX": "/mnt/mesos/sandbox",
                "MARATHON_APP_ID": "/ternmq", "HOST": "10.0.0.5"}


def load_json(path: pathlib.Path):
    return json.loads(path.read_text(encoding="utf-8"))


def schema() -> dict:
    return load_json(CONFIG_JSON)


def option_sets() -> dict[str, dict]:
    return {p.stem: load_json(p) for p in sorted(OPTIONS_DIR.glob("*.json"))}


def walk_properties(node: dict, path: str = ""):
    """Yields (dotted path, subschema) for every property of the schema, depth first."""
    for name, sub in node.get("properties", {}).items():
        p = f"{path}.{name}" if path else name
        yield p, sub
        yield from walk_properties(sub, p)


def schema_defaults(node: dict) -> dict:
    """Cosmos's JsonSchema.extractDefaultsFromSchema: an object of every property's default,
    nested objects collected recursively."""
    out = {}
    for name, sub in node.get("properties", {}).items():
        if sub.get("type") == "object" and "properties" in sub:
            out[name] = schema_defaults(sub)
        elif "default" in sub:
            out[name] = copy.deepcopy(sub["default"])
    return out


def deep_merge(base, override):
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for k, v in override.items():
            out[k] = deep_merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(override)


def validation_errors(options: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(schema())
    return [f"{'.'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in validator.iter_errors(options)]


def resolved_options(options: dict) -> dict:
    """Defaults merged with the user's options, validated: what Cosmos renders with."""
    merged = deep_merge(schema_defaults(schema()), options)
    errors = validation_errors(merged)
    assert not errors, errors
    return merged


# ---- Cosmos ----------------------------------------------------------------------------------

def java_double(d: float) -> str:
    """Java's Double.toString for the values Cosmos cannot pass as an int."""
    if d == 0:
        return "0.0"
    sign = "-" if d < 0 else ""
    a = abs(d)
    if 1e-3 <= a < 1e7:
        s = repr(a)
        return sign + (s if "." in s else s + ".0")
    digits, exponent = decimal.Decimal(repr(a)).normalize().as_tuple()[1:]
    digits = "".join(map(str, digits))
    sci_exp = len(digits) - 1 + exponent
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{sci_exp}"


def cosmos_value(v):
    """jsonToJava in Cosmos's PackageDefinitionRenderer: strings JSON-escaped (without quotes),
    numbers as Int when they fit, else Double; booleans, lists and objects as such."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        if float(v).is_integer() and -INT32_MAX - 1 <= v <= INT32_MAX:
            return int(v)
        return java_double(float(v))
    if isinstance(v, str):
        return json.dumps(v)[1:-1]
    if isinstance(v, list):
        return [cosmos_value(x) for x in v]
    if isinstance(v, dict):
        return {k: cosmos_value(x) for k, x in v.items()}
    return v


class JavaBools(pystache.Renderer):
    """mustache.java prints booleans as true/false, Python as True/False."""

    def str_coerce(self, val):
        if isinstance(val, bool):
            return "true" if val else "false"
        return str(val)


def cosmos_renderer() -> pystache.Renderer:
    # Cosmos overrides mustache.java's encode(): no HTML escaping. Strict: a tag naming an
    # option that config.json does not have is an error here (Cosmos would print "").
    return JavaBools(escape=lambda s: s, missing_tags="strict")


def render_marathon(options: dict) -> tuple[str, dict]:
    context = deep_merge(resolved_options(options), {"resource": load_json(UNIVERSE / "resource.json")})
    text = cosmos_renderer().render((UNIVERSE / "marathon.json.mustache").read_text(encoding="utf-8"),
                                    cosmos_value(context))
    return text, json.loads(text)


# ---- the scheduler ---------------------------------------------------------------------------

def scheduler_env(app: dict) -> dict[str, str]:
    """The scheduler process's environment: the app's env (secrets left out) and Marathon's."""
    env = {k: v for k, v in app["env"].items() if isinstance(v, str)}
    env.update(MARATHON_ENV)
    env["MARATHON_APP_ID"] = app["id"]
    return env


def mustache_context(env: dict[str, str]) -> dict:
    """dcos-commons' rule: an env value true/false (any case) is a boolean, anything else a string."""
    return {k: (v.lower() == "true") if v.lower() in ("true", "false") else v for k, v in env.items()}


def render_env_template(text: str, env: dict[str, str], html_escape: bool = True) -> str:
    """Renders like libmstch (the scheduler): {{X}} HTML-escaped, {{{X}}} raw, missing = ""."""
    renderer = pystache.Renderer(missing_tags="ignore") if html_escape else \
        pystache.Renderer(escape=lambda s: s, missing_tags="ignore")
    return renderer.render(text, mustache_context(env))


TAG = re.compile(r"\{\{\s*([#^/{&]?)\s*([A-Za-z0-9_.-]+)\s*\}?\}\}")


def template_names(text: str) -> set[str]:
    """Every name a mustache template refers to, as a variable or a section."""
    return {m.group(2) for m in TAG.finditer(text) if not m.group(2).startswith("!")}


def render_svc(options: dict) -> tuple[dict, str, dict]:
    """(scheduler env, rendered svc.yml text, parsed spec) for one option set."""
    _, app = render_marathon(options)
    env = scheduler_env(app)
    text = render_env_template(SVC_YML.read_text(encoding="utf-8"), env)
    return env, text, yaml.safe_load(text)


def broker_task(spec: dict) -> dict:
    return spec["pods"]["node"]["tasks"]["broker"]


def autoip_host(service_name: str) -> str:
    """FRAMEWORK_HOST as dcos-commons computes it: slashes removed, dots to dashes."""
    return service_name.replace("/", "").replace(".", "-") + ".autoip.dcos.thisdcos.directory"


def task_env(spec: dict, index: int, ports: dict[str, int] | None = None,
             bind_address: str | None = None) -> dict[str, str]:
    """The environment the scheduler gives task node-<index>-broker: the YAML env, one env key
    per port (its fixed number, or a dynamic one from `ports` or 1025 up), and the SDK's own.
    `bind_address` stands for a routed TASKCFG_ALL_BIND_ADDRESS (local mode, tests: loopback)."""
    task = broker_task(spec)
    env = {k: str(v) for k, v in (task.get("env") or {}).items()}
    dynamic = 1025
    for name, port in task["ports"].items():
        number = (ports or {}).get(name) or port.get("port") or 0
        if not number:
            number, dynamic = dynamic, dynamic + 1
        env[port["env-key"]] = str(number)
    name = TASK_NAME_FORMAT.format(index=index)
    env.update({"TASK_NAME": name, name: "true", "POD_INSTANCE_INDEX": str(index),
                "FRAMEWORK_NAME": spec["name"], "FRAMEWORK_HOST": autoip_host(spec["name"]),
                "FRAMEWORK_VIP_HOST": spec["name"].replace("/", "") + ".l4lb.thisdcos.directory"})
    if bind_address:
        env["BIND_ADDRESS"] = bind_address
    return env


def render_conf(env: dict[str, str]) -> str:
    """ternmq.conf for one task. Rendered with string values only (no boolean conversion), as a
    renderer working from the task environment would: the template must not need booleans."""
    renderer = pystache.Renderer(missing_tags="ignore")
    return renderer.render(CONF_TEMPLATE.read_text(encoding="utf-8"), env)


def conf_entries(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        out[key.strip()] = value.strip()
    return out


# ---- the broker binary -------------------------------------------------------------------------

def ternmq_bin() -> pathlib.Path | None:
    """TERNMQ_BIN (set by CTest), else build/bin/ternmq; None when neither exists and the
    variable is unset (then the tests that run it skip)."""
    configured = os.environ.get("TERNMQ_BIN")
    if configured:
        return pathlib.Path(configured)
    default = ROOT / "build" / "bin" / "ternmq"
    return default if default.exists() else None


def program_dir() -> pathlib.Path | None:
    b = ternmq_bin()
    return b.parent if b else None


# ---- Edge-LB -----------------------------------------------------------------------------------

DEFAULT_POOL = {"name": "ternmq-lb", "count": 1, "stats_port": 9090, "idle_timeout": "1h"}


def render_pool(options: dict, pool: dict | None = None) -> dict:
    context = deep_merge(resolved_options(options), {"pool": deep_merge(DEFAULT_POOL, pool or {})})
    renderer = pystache.Renderer(escape=lambda s: s, missing_tags="strict")
    return json.loads(renderer.render(POOL_TEMPLATE.read_text(encoding="utf-8"), cosmos_value(context)))


def which(program: str) -> str | None:
    return shutil.which(program)
