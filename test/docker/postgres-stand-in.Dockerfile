# A stand-in for the official postgres image where no registry can be reached: Debian 12's PostgreSQL,
# with an entrypoint that honours what docker-compose.yml gives the official one (POSTGRES_USER,
# POSTGRES_DB, POSTGRES_PASSWORD, data in /var/lib/postgresql/data) and its pg_isready.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*
COPY postgres-stand-in.sh /usr/local/bin/postgres-stand-in
ENTRYPOINT ["postgres-stand-in"]
