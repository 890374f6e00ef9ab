# syntax=docker/dockerfile:1
# clusterchecks: docker build -t clusterchecks:latest .
# Build stage: the Maven wrapper builds the shaded jar (tests run in CI, not here).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl server -am -DskipTests package

# Run stage: a JRE and the one jar, as an unprivileged user.
FROM eclipse-temurin:17-jre
COPY --from=build /src/server/target/clusterchecks.jar /opt/clusterchecks/clusterchecks.jar
# Class data sharing (AppCDS): run the agent once here, with this image's JVM and jar path, and
# record the classes it loads into an archive written when it exits; every container then maps
# them instead of loading them (docs/benchmarks.md, "Start"). The training run answers requests
# first, so the classes of a first answer are in the archive too: `clusterchecks status` from a
# second JVM (a TLS handshake, the other routes, JSON), then `worker-probe`, which posts a worker
# status and reads its configs as a node agent does (the worker routes, which answer first in
# production and which `status` does not reach); then SIGTERM. A run whose archive does not match
# (another JVM) starts without it.
RUN mkdir -p /tmp/cds-confd \
 && export DD_CLUSTER_AGENT_AUTH_TOKEN=cds-training-token-not-used-anywhere-else \
    DD_CONFD_PATH=/tmp/cds-confd DD_LEADER_ELECTION=false \
 && { java -XX:ArchiveClassesAtExit=/opt/clusterchecks/clusterchecks.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
        -jar /opt/clusterchecks/clusterchecks.jar agent >/dev/null 2>&1 & agent=$!; } \
 && for i in $(seq 1 60); do \
      java -jar /opt/clusterchecks/clusterchecks.jar status >/dev/null 2>&1 && break; sleep 1; \
    done; \
    java -jar /opt/clusterchecks/clusterchecks.jar worker-probe --node cds-training >/dev/null 2>&1; \
    java -jar /opt/clusterchecks/clusterchecks.jar clusterchecks >/dev/null 2>&1; \
    kill -TERM "$agent"; \
    for i in $(seq 1 60); do kill -0 "$agent" 2>/dev/null || break; sleep 1; done; \
    test -s /opt/clusterchecks/clusterchecks.jsa && rm -rf /tmp/cds-confd
USER 10001:10001
# 5005: worker API (HTTPS); 5000: /metrics, /live, /ready (plain HTTP).
EXPOSE 5005 5000
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/clusterchecks/clusterchecks.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/opt/clusterchecks/clusterchecks.jar"]
CMD ["agent"]
