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
USER 10001:10001
# 5005: worker API (HTTPS); 5000: /metrics, /live, /ready (plain HTTP).
EXPOSE 5005 5000
ENTRYPOINT ["java", "-jar", "/opt/clusterchecks/clusterchecks.jar"]
CMD ["agent"]
