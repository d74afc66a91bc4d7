# syntax=docker/dockerfile:1
ARG BASE_IMAGE=debian:bookworm-slim
# Glimpse's container images, built from this checkout (docker-compose.yml builds them for you):
#   runtime      the pipeline (and every other bin/glimpse command) on the CPU; the default target
#   trainer      runtime plus Debian's Fashion-MNIST, for `docker compose run --rm trainer`
#   runtime-gpu  the pipeline on an NVIDIA GPU, with CUDA libtorch 2.7.1 (see below); build it with
#                --build-arg BASE_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu22.04 (compose does)
# Each runs bin/glimpse, the same launcher as a checkout: DJL offline (-Dai.djl.offline=true,
# OPT_OUT_TRACKING=true), tcmalloc preloaded (libtorch's CPU inference is 8-25x slower with glibc
# malloc), a writable DJL cache. Nothing is downloaded when a container starts.

# --- build: the multi-module Maven build, tests skipped (CI runs them) ---------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY schemas schemas
COPY model model
COPY lifecycle lifecycle
COPY pipeline pipeline
COPY trainer trainer
COPY ops ops
COPY bin bin
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Dspotless.check.skip=true package \
 && mkdir -p /opt/glimpse/bin /opt/glimpse/ops/target \
 && cp bin/glimpse /opt/glimpse/bin/ \
 && cp -r ops/target/lib ops/target/glimpse-ops.jar /opt/glimpse/ops/target/

# --- base: a JRE, tcmalloc, libjpeg-turbo (native JPEG decoding), curl for health checks, the app ----
# On Debian 12 by default; on NVIDIA's CUDA image (Ubuntu 22.04, same package names) for the GPU.
FROM ${BASE_IMAGE} AS base
# (The JRE's post-install step links man pages, which slim images leave out: give it the directory.)
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless libtcmalloc-minimal4 libturbojpeg0 curl \
 && rm -rf /var/lib/apt/lists/*
# A fixed, unprivileged user. The model store (/var/glimpse/models) and the trainer's run
# directories (/var/glimpse/runs) are volumes; a new named volume takes this ownership.
RUN useradd --system --uid 10001 --user-group --home-dir /var/glimpse --create-home glimpse \
 && mkdir -p /var/glimpse/models /var/glimpse/runs /var/cache/glimpse/djl \
 && chown -R glimpse:glimpse /var/glimpse /var/cache/glimpse
# bin/glimpse rebuilds only when it finds a pom.xml or src/ newer than the jar: there is none here.
COPY --from=build /opt/glimpse /opt/glimpse
# libtorch's CPU natives are extracted here on first start (3-9 s; about 1 s afterwards).
ENV DJL_CACHE_DIR=/var/cache/glimpse/djl \
    OPT_OUT_TRACKING=true \
    GLIMPSE_JAVA_OPTS="-XX:MaxRAMPercentage=60"
USER glimpse
WORKDIR /var/glimpse
# /metrics and /health (glimpse.http.port); compose publishes no host port, so replicas scale.
EXPOSE 8080
ENTRYPOINT ["/opt/glimpse/bin/glimpse"]
CMD ["pipeline"]

# --- trainer: the base image plus Debian's Fashion-MNIST (/usr/share/datasets/fashion-mnist) -----
FROM base AS trainer
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends dataset-fashion-mnist \
 && rm -rf /var/lib/apt/lists/*
USER glimpse
CMD ["train", "--help"]

# --- runtime-gpu: CUDA libtorch 2.7.1 ------------------------------------------------------------
# CUDA builds of libtorch are not on Maven Central, so this stage takes PyTorch's own libtorch
# 2.7.1+cu128 build (LIBTORCH_URL, fetched once at image build time; a mirror or a local file
# server works too) and points DJL 0.36 at it:
#   PYTORCH_LIBRARY_PATH  the directory holding libtorch.so: DJL loads libtorch from there instead
#                         of extracting the CPU natives on the classpath;
#   PYTORCH_FLAVOR=cu128  which JNI build to pair with it. Required: unset, DJL names a flavor from
#                         the CUDA version it detects plus "-precxx11", which 2.7.1 does not have;
#   PYTORCH_VERSION=2.7.1 the libtorch version (never another: DJL would try to download one);
#   libdjl_torch.so       DJL's cu128 JNI library, copied from the pytorch-jni jar next to
#                         libtorch, where DJL looks first (else it extracts it into its cache);
#   LD_LIBRARY_PATH       lets it find libtorch's own libraries and the CUDA libraries bundled.
# The CUDA base image's runtime (libcudart) is what DJL counts GPUs with. The host needs the
# NVIDIA driver (>= 570 for CUDA 12.8) and the NVIDIA Container Toolkit.
FROM base AS runtime-gpu
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
USER root
RUN test -d /usr/local/cuda \
      || { echo "runtime-gpu needs --build-arg BASE_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu22.04" >&2; exit 1; } \
 && apt-get update \
 && apt-get install -y --no-install-recommends unzip ca-certificates \
 && curl -fsSL "$LIBTORCH_URL" -o /tmp/libtorch.zip \
 && unzip -q /tmp/libtorch.zip -d /opt \
 && rm /tmp/libtorch.zip \
 && unzip -j -o /opt/glimpse/ops/target/lib/pytorch-jni-*.jar \
      'jnilib/linux-x86_64/cu128/libdjl_torch.so' -d /opt/libtorch/lib \
 && rm -rf /var/lib/apt/lists/*
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    LD_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128
USER glimpse
CMD ["pipeline", "--set", "glimpse.model.device=gpu"]

# --- runtime: the default target (`docker build .`) ----------------------------------------------
FROM base AS runtime
