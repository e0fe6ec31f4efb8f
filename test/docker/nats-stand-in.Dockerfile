# A stand-in for the official nats image where no registry can be reached: Debian 12's nats-server,
# taking its arguments as the official image does.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nats-server \
 && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["nats-server"]
