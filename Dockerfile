# syntax=docker/dockerfile:1
# Build with the Maven wrapper, run on a JRE as a non-root user, from a layered jar: a code change
# rebuilds only the small "application" layer; the dependencies' layer stays cached.
#
# The base images are build arguments so that machines without a registry can use local ones
# (see bench/container/README.md): podman build --build-arg JDK_IMAGE=localhost/jdk17 ...
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
# A cache mount instead of dependency:go-offline, which does not fetch the plugins' own dependencies
# (surefire providers, the repackager): the real build resolves exactly what it needs, once per cache.
# The tests are not compiled here: `./mvnw verify` runs them before an image is built.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B package -Dmaven.test.skip=true \
 && cp target/backprop-*.jar app.jar \
 && java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM ${JRE_IMAGE}
# OpenBLAS for the large matrix products (netlib's JNI BLAS loads libblas.so.3), one thread per call:
# Backprop splits large products across the cores itself (see Gemm).
RUN apt-get update && apt-get install -y --no-install-recommends libopenblas0-pthread && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app backprop && mkdir -p /app/data && chown backprop /app/data
WORKDIR /app
# Least to most often changed, one layer each.
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./
# The same JVM argument file that spring-boot:run and the tests use.
COPY --from=build /src/src/main/jvm/backprop.jvm.options jvm.options
COPY --chmod=755 src/main/docker/readiness.sh readiness.sh
# A container is reached from outside its network namespace: it listens on every interface, and so
# with API keys (the service refuses an open non-loopback address). Secrets come as files (compose or
# podman secrets under /run/secrets, each named after the property it sets, e.g.
# backprop.security.admin-key or spring.datasource.password); a missing folder is fine.
ENV OPENBLAS_NUM_THREADS=1 \
    SERVER_PORT=8080 \
    SERVER_ADDRESS=0.0.0.0 \
    BACKPROP_SECURITY_MODE=keys \
    SPRING_CONFIG_IMPORT=optional:configtree:/run/secrets/
USER backprop
EXPOSE 8080
# Readiness, not liveness: ready means the database answers, on the configured port. (OCI images drop
# HEALTHCHECK: build with --format docker.)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["/app/readiness.sh"]
# Training holds its data in memory: the heap gets most of the container's memory (the JVM's default is
# a quarter), and an out-of-memory error ends the container so that its restart policy acts, instead of
# a JVM that limps on with dead threads.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "@/app/jvm.options", "-jar", "/app/app.jar"]
