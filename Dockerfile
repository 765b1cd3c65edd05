# Carillon's container image. Build it after `./mvnw -B package -DskipTests` (it copies the packaged jar and
# its lib/ folder; nothing is compiled inside the image):
#
#   docker build -t carillon .
#   docker buildx build --platform linux/amd64,linux/arm64 -t carillon .    (both architectures)
#
# The base must have glibc 2.38 or newer: JDAVE's native library, which real Discord's DAVE voice encryption
# needs, does not load on older C libraries (Debian 12, Ubuntu 22.04, RHEL 9). Eclipse Temurin's JRE 25 on
# Ubuntu 24.04 (glibc 2.39) is the default; offline, scripts/local-base-image makes a stand-in from Debian 13
# (BASE_IMAGE=carillon-base:local). docs/operations.md has the whole story.
ARG BASE_IMAGE=eclipse-temurin:25-jre-noble
FROM ${BASE_IMAGE}

ARG VERSION=dev
LABEL org.opencontainers.image.title="Carillon" \
      org.opencontainers.image.description="Scheduled voice sessions on Discord" \
      org.opencontainers.image.version="${VERSION}"

# A system user of its own; the data directory (SQLite store, uploaded audio) is its home, 0700.
RUN groupadd --system --gid 10001 carillon \
 && useradd --system --uid 10001 --gid carillon --home-dir /var/lib/carillon --no-create-home \
      --shell /usr/sbin/nologin carillon \
 && install -d -o carillon -g carillon -m 0700 /var/lib/carillon

COPY carillon-bot/target/lib/ /opt/carillon/lib/
COPY carillon-bot/target/carillon-bot.jar /opt/carillon/carillon.jar
COPY deploy/healthcheck /opt/carillon/healthcheck

# In a container the admin page must listen beyond loopback to be published; publish it to the host's
# loopback or put it behind a reverse proxy (docs/web-api.md). The data directory is the volume.
# The HEALTHCHECK asks /health/ready: the store takes writes, every bot account is connected, voice works.
# (Every CARILLON_ variable is a setting, and an unknown one is refused: nothing else is named so.)
ENV CARILLON_DATA_DIR=/var/lib/carillon \
    CARILLON_WEB_ADDRESS=0.0.0.0:8080
USER carillon
WORKDIR /var/lib/carillon
VOLUME /var/lib/carillon
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 CMD ["/opt/carillon/healthcheck", "/health/ready"]
# Heap from the container's memory limit; an OutOfMemoryError ends the process (the orchestrator restarts
# it, and Carillon resumes the run) rather than leaving it half alive. --enable-native-access: LavaPlayer's
# and JDAVE's native libraries.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", \
            "-jar", "/opt/carillon/carillon.jar"]
CMD ["run"]
