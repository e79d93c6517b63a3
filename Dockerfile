# syntax=docker/dockerfile:1
# Build with the Maven wrapper, run on a JRE as a non-root user.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests && cp target/backprop-*.jar /src/app.jar

FROM eclipse-temurin:17-jre
# OpenBLAS for the large matrix products (netlib's JNI BLAS loads libblas.so.3), one thread per call:
# Backprop splits large products across the cores itself (see Gemm).
RUN apt-get update && apt-get install -y --no-install-recommends libopenblas0-pthread && rm -rf /var/lib/apt/lists/*
ENV OPENBLAS_NUM_THREADS=1
RUN useradd --system --uid 10001 --home-dir /app backprop && mkdir -p /app/data && chown backprop /app/data
WORKDIR /app
COPY --from=build /src/app.jar app.jar
# The same JVM argument file that spring-boot:run and the tests use.
COPY --from=build /src/src/main/jvm/backprop.jvm.options jvm.options
USER backprop
EXPOSE 8080
# bash's /dev/tcp keeps the image free of curl or wget.
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /actuator/health/liveness HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && grep -q "\"UP\"" <&3'
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/app.jar"]
