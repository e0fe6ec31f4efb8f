# A stand-in for the official node:24-bookworm: the slim stand-in with the compilers that native
# addons (ssh2's crypto binding) build with. Debian's mirror is plain HTTP, so no CA is needed here.
ARG NODE_SLIM_IMAGE
FROM ${NODE_SLIM_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends make g++ python3 \
 && rm -rf /var/lib/apt/lists/*
