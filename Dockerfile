# TernMQ image: the broker (ternmq, ternmq-passwd) and the DC/OS scheduler (ternmq-scheduler,
# ternmq-cli) on Debian 12, plus the service spec the scheduler reads.
#
#   docker build -t ternmq/ternmq:0.1.0 .                      runtime image (the last stage)
#   docker build --target dist --output type=local,dest=dist .  dist/ternmq-0.1.0-linux-amd64.tar.gz
#
# The DC/OS package runs the scheduler from this image and the broker tasks in it, with ./ternmq
# fetched from the tarball (universe/resource.json); see docs/dcos-service.md.

# ---- build: the same compiler and -dev packages as scripts/setup.sh -----------------------------
FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libboost1.81-dev libssl-dev libleveldb-dev nlohmann-json3-dev libyaml-cpp-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole tree minus .dockerignore (tests, docs, build directories): new modules such as
# scheduler/ are picked up without editing this file.
COPY . .
# BUILD_TESTING=OFF: `all` is every program and nothing from tests/; the four programs are required.
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
 && cmake --build build \
 && mkdir -p /out/bin \
 && for program in ternmq ternmq-passwd ternmq-scheduler ternmq-cli; do \
      install -m 0755 "build/bin/$program" /out/bin/; \
    done \
 && strip --strip-unneeded /out/bin/* \
 && tar -C /out/bin -czf /out/ternmq-0.1.0-linux-amd64.tar.gz ternmq ternmq-passwd

# ---- dist: the broker tarball the broker tasks fetch into their sandbox ---------------------------
FROM scratch AS dist
COPY --from=build /out/ternmq-0.1.0-linux-amd64.tar.gz /

# ---- runtime: only the shared libraries the programs link ------------------------------------------
FROM debian:12-slim AS runtime
ARG DEBIAN_FRONTEND=noninteractive
# libssl3: TLS listeners and password hashing; libleveldb1d: the message store (pulls in
# libsnappy1v5); libyaml-cpp0.7: the scheduler's svc.yml parser; ca-certificates: the scheduler's
# HTTPS calls. bash and coreutils (base64, timeout, od) for the task cmd and checks are in the base.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl3 libleveldb1d libyaml-cpp0.7 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ternmq \
 && useradd --system --uid 10001 --gid ternmq --home-dir /var/lib/ternmq --create-home \
      --shell /usr/sbin/nologin ternmq
COPY --from=build /out/bin/ /opt/ternmq/bin/
COPY svc.yml ternmq.conf.mustache /opt/ternmq/dcos/
COPY ternmq.conf /opt/ternmq/etc/ternmq.conf
ENV PATH=/opt/ternmq/bin:$PATH
# DC/OS runs tasks as the service's user (service.user); this one is for plain `docker run`.
USER ternmq
WORKDIR /var/lib/ternmq
EXPOSE 1883 8883 8083 8443
# No ENTRYPOINT: Mesos runs the svc.yml and Marathon commands through /bin/sh in this image.
CMD ["ternmq", "--help"]
