"""The Dockerfile cannot be built here (no Docker engine), so it is checked piece by piece:
stages and base images, build packages in step with scripts/setup.sh, runtime packages that
exist in Debian 12 and cover every shared library the built programs link, COPY sources that
exist and are not excluded by .dockerignore, a non-root user, and paths that the Marathon app
and svc.yml rely on."""
import fnmatch
import os
import pathlib
import re
import shutil
import subprocess

import pytest

import package_util as u

DOCKERFILE = u.ROOT / "Dockerfile"
# setup.sh packages the image does not need: compiler cache, clang for the fuzzer, test libraries.
DEV_ONLY = {"ccache", "clang", "libclang-rt-14-dev", "libgtest-dev", "libgmock-dev", "libbenchmark-dev"}
PROGRAMS = ("ternmq", "ternmq-passwd", "ternmq-scheduler", "ternmq-cli")


def instructions() -> list[tuple[str, str, str]]:
    """(stage name, INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.lstrip().startswith("#"):
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        logical.append(current.strip())
        current = ""
    out, stage = [], None
    for line in logical:
        op, _, args = line.partition(" ")
        op = op.upper()
        if op == "FROM":
            m = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", args.strip(), re.IGNORECASE)
            stage = m.group(2) or m.group(1)
        out.append((stage, op, args.strip()))
    return out


def stages() -> dict[str, str]:
    return {stage: args.split()[0] for stage, op, args in instructions() if op == "FROM"}


def apt_packages(stage: str) -> set[str]:
    pkgs = set()
    for s, op, args in instructions():
        if s == stage and op == "RUN":
            for m in re.finditer(r"apt-get install((?:\s+[-\w.+]+)+)", args):
                pkgs |= {w for w in m.group(1).split() if not w.startswith("-")}
    return pkgs


def setup_sh_build_packages() -> set[str]:
    text = (u.ROOT / "scripts" / "setup.sh").read_text()
    block = re.search(r"packages=\((.*?)\n\)", text, re.S).group(1)
    groups, current = {}, None
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("#"):
            current = line.lstrip("# ").split(":")[0].strip()
            groups[current] = set()
        elif line and current:
            groups[current] |= set(line.split())
    return (groups.get("toolchain", set()) | groups.get("libraries", set())) - DEV_ONLY


def dockerignore_patterns() -> list[str]:
    lines = (u.ROOT / ".dockerignore").read_text().splitlines()
    return [l.strip() for l in lines if l.strip() and not l.strip().startswith("#")]


def ignored(path: str) -> bool:
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in dockerignore_patterns():
        pats = [pattern, pattern[3:]] if pattern.startswith("**/") else [pattern]
        for prefix in prefixes:
            names = [prefix] + ([prefix.split("/")[-1]] if pattern.startswith("**/") else [])
            if any(fnmatch.fnmatchcase(n, p) for n in names for p in pats):
                return True
    return False


def test_stages_and_base_images():
    st = stages()
    assert list(st) == ["build", "dist", "runtime"]
    assert st["build"] == "debian:12"
    assert st["dist"] == "scratch"
    assert st["runtime"] == "debian:12-slim"


def test_build_stage_installs_the_setup_sh_build_set():
    missing = setup_sh_build_packages() - apt_packages("build")
    assert not missing, f"scripts/setup.sh installs {sorted(missing)} for the build: add them to the Dockerfile's build stage"


def test_build_requires_every_program():
    build_runs = " ".join(args for s, op, args in instructions() if s == "build" and op == "RUN")
    assert "-DBUILD_TESTING=OFF" in build_runs
    for program in PROGRAMS:
        assert program in build_runs
    # `install` fails the build when a program is missing: nothing is skipped quietly.
    assert 'install -m 0755 "build/bin/$program" /out/bin/' in build_runs
    assert "if [ -x" not in build_runs


def test_runtime_packages_are_libraries_only():
    runtime = apt_packages("runtime")
    assert runtime >= {"libssl3", "libleveldb1d", "libyaml-cpp0.7"}
    assert not [p for p in runtime if p.endswith("-dev") or p in {"build-essential", "cmake", "gcc", "g++"}]


def apt_candidates(packages: set[str]) -> dict[str, str]:
    """Package -> candidate version, from one `apt-cache policy` call."""
    r = subprocess.run(["apt-cache", "policy", *sorted(packages)], capture_output=True, text=True)
    return {m.group(1): m.group(2) for m in re.finditer(r"^(\S+?)(?::\w+)?:\n(?:\s.*\n)*?\s+Candidate:\s*(\S+)",
                                                         r.stdout, re.M)}


@pytest.mark.skipif(not shutil.which("apt-cache"), reason="no apt-cache")
def test_packages_exist_in_debian_12():
    packages = apt_packages("runtime") | apt_packages("build")
    candidates = apt_candidates(packages)
    unknown = sorted(p for p in packages if candidates.get(p, "(none)") == "(none)")
    if unknown and not list(pathlib.Path("/var/lib/apt/lists").glob("*_Packages*")):
        pytest.skip(f"apt has no package lists (run apt-get update) and {unknown} are not installed")
    assert not unknown, f"not Debian 12 packages: {unknown}"


def packages_of(paths: set[str]) -> dict[str, str]:
    """Library path -> Debian package, from one `dpkg -S` call over every spelling of each path
    (ldd reports /lib/... where dpkg records /usr/lib/..., symlinks resolved or not)."""
    spellings = {}
    for path in paths:
        real = os.path.realpath(path)
        for candidate in {path, real}:
            for variant in {candidate, re.sub(r"^/lib/", "/usr/lib/", candidate), re.sub(r"^/usr/lib/", "/lib/", candidate)}:
                spellings[variant] = path
    r = subprocess.run(["dpkg", "-S", *sorted(spellings)], capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        pkgs, _, owned = line.partition(": ")
        if owned in spellings:
            out[spellings[owned]] = pkgs.split(",")[0].split(":")[0].strip()
    return out


def depends(packages: set[str]) -> set[str]:
    """The Depends and Pre-Depends of the packages, from one `apt-cache depends` call."""
    if not packages:
        return set()
    r = subprocess.run(["apt-cache", "depends", "--no-recommends", "--no-suggests", "--no-conflicts",
                        "--no-breaks", "--no-replaces", "--no-enhances", *sorted(packages)],
                       capture_output=True, text=True)
    return {m.group(1).split(":")[0] for m in re.finditer(r"^\s*\|?(?:Pre)?Depends:\s*<?([^\s>]+)>?", r.stdout, re.M)}


def base_packages() -> set[str]:
    """What debian:12-slim holds: the Essential and Priority required packages (minbase)."""
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Essential} ${Priority}\n"], capture_output=True, text=True)
    return {l.split()[0] for l in r.stdout.splitlines() if " yes " in f" {l} " or l.endswith(" required")}


@pytest.mark.skipif(not (shutil.which("ldd") and shutil.which("dpkg") and shutil.which("apt-cache")),
                    reason="needs ldd, dpkg and apt-cache")
def test_runtime_packages_cover_every_shared_library_the_programs_link():
    directory = u.program_dir()
    programs = [directory / p for p in PROGRAMS if directory and (directory / p).exists()]
    if not programs:
        pytest.skip("no built programs: set TERNMQ_BIN")
    provided = set(apt_packages("runtime")) | base_packages()
    frontier = set(apt_packages("runtime"))
    while frontier:  # what apt-get install pulls in with them
        nxt = depends(frontier) - provided
        provided |= nxt
        frontier = nxt
    for program in programs:
        libs = set(re.findall(r"=>\s*(/\S+)", subprocess.run(["ldd", str(program)], capture_output=True, text=True).stdout))
        assert libs, f"ldd {program}: no libraries"
        if any(re.search(r"/lib(asan|ubsan|tsan|lsan)\.so", lib) for lib in libs):
            pytest.skip(f"{program} is a sanitizer build; the image ships a release build")
        owners = packages_of(libs)
        for lib in sorted(libs):
            assert lib in owners, f"{program.name}: {lib} belongs to no Debian package"
            assert owners[lib] in provided, f"{program.name} links {lib} from {owners[lib]}: add it to the runtime stage"


def test_copy_sources_exist_and_are_in_the_build_context():
    for stage, op, args in instructions():
        if op not in ("COPY", "ADD") or "--from=" in args:
            continue
        assert op == "COPY", "ADD fetches and unpacks implicitly; use COPY"
        sources = [a for a in args.split() if not a.startswith("--")][:-1]
        for source in sources:
            if source == ".":
                continue
            assert (u.ROOT / source).exists(), f"COPY {source}: no such file"
            assert not ignored(source), f"COPY {source}: excluded by .dockerignore"


def test_dockerignore_keeps_every_source_directory():
    cmake = (u.ROOT / "CMakeLists.txt").read_text()
    subdirs = set(re.findall(r"add_subdirectory\((\w+)\)", cmake)) - {"tests"}
    assert subdirs >= {"core", "broker", "tools"}
    for d in sorted(subdirs) + ["CMakeLists.txt", "cmake", "svc.yml", "ternmq.conf.mustache", "ternmq.conf"]:
        assert not ignored(d), f".dockerignore excludes {d}, which the image build needs"
    for d in ("build", "build-asan", ".git", "tests", "docs"):
        assert ignored(d), f".dockerignore should exclude {d}"


def test_runtime_runs_as_a_created_non_root_user():
    runtime = [(op, args) for s, op, args in instructions() if s == "runtime"]
    users = [args for op, args in runtime if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(op == "RUN" and f"useradd" in args and users[-1] in args for op, args in runtime)
    assert not any(op == "ENTRYPOINT" for op, _ in runtime), "Mesos runs commands through /bin/sh: no ENTRYPOINT"


def test_paths_the_app_and_the_tasks_rely_on():
    runtime = " ".join(f"{op} {args}" for s, op, args in instructions() if s == "runtime")
    _, app = u.render_marathon({})
    spec_path = re.search(r"(/opt/ternmq/dcos/)svc\.yml", app["cmd"]).group(1)
    scheduler = re.search(r"(/opt/ternmq/bin/)ternmq-scheduler", app["cmd"]).group(1)
    assert f"COPY svc.yml ternmq.conf.mustache {spec_path}" in runtime
    assert f"COPY --from=build /out/bin/ {scheduler}" in runtime
    # Every config template svc.yml names travels with it.
    spec = u.render_svc({})[2]
    for config in u.broker_task(spec)["configs"].values():
        assert config["template"] in runtime
    assert "PATH=/opt/ternmq/bin:" in runtime
