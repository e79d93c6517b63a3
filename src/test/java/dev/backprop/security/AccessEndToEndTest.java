package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.job.JobRepository;
import dev.backprop.support.Http;
import dev.backprop.support.TrainingRequests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A service that requires keys: 401s, roles, keys shown once, quotas, rate limits, headers, the admin surfaces. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=127.0.0.1",
        "backprop.security.admin-key=" + SecuredService.ADMIN_KEY, "backprop.security.rate-limits.submits-per-minute=3",
        "backprop.security.rate-limits.predicts-per-minute=2", "backprop.jobs.workers=1"})
class AccessEndToEndTest {

    @LocalServerPort
    int port;

    @Test
    void aMissingMalformedWrongOrRevokedKeyIs401ProblemJson() {
        SecuredService service = new SecuredService(port);
        String key = service.key(service.tenant("revoking", Map.of()), "soon-revoked", "member");
        assertThat(service.get(key, "/jobs").status()).isEqualTo(200);
        String id = service.get(SecuredService.ADMIN_KEY, "/admin/keys?tenant=revoking").json().get(0).get("id").asString();
        assertThat(service.call(SecuredService.ADMIN_KEY, "DELETE", "/admin/keys/" + id, null).status()).isEqualTo(204);
        String wrong = key.substring(0, key.length() - 2) + (key.endsWith("AA") ? "BB" : "AA");
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Basic dXNlcjpwYXNz"),
                Map.of("Authorization", "Bearer "), Map.of("Authorization", "Bearer not-a-key"),
                Map.of("Authorization", "Bearer " + wrong), Map.of("Authorization", "Bearer " + key))) {
            for (String path : List.of("/jobs", "/datasets", "/models", "/jobs/" + java.util.UUID.randomUUID() + "/events")) {
                Http.Response response = service.http.request("GET", path, headers, null);
                assertThat(response.status()).as("%s with %s", path, headers).isEqualTo(401);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.json().get("type").asString()).endsWith("/unauthorized");
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            }
        }
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void aKeyRevokedByAnotherReplicaIs401OnceItsVerificationIsOlderThanTwoSeconds() {
        SecuredService service = new SecuredService(port);
        String key = service.key(service.tenant("revoked-elsewhere", Map.of()), "elsewhere", "member");
        assertThat(service.get(key, "/jobs").status()).isEqualTo(200);
        String id = service.get(SecuredService.ADMIN_KEY, "/admin/keys?tenant=revoked-elsewhere").json().get(0).get("id").asString();
        // What another replica's DELETE /admin/keys/{id} writes: this replica's verified keys do not hear of it.
        jdbc.sql("UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP WHERE id = :id").param("id", id).update();
        long revokedAt = System.nanoTime();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> service.get(key, "/jobs").status() == 401);
        assertThat(System.nanoTime() - revokedAt).isLessThan(ApiKeys.VERIFIED_FOR.toNanos() + 5_000_000_000L);
    }

    @Test
    void aKeyIsShownOnceAndNeverLoggedOrListed(CapturedOutput output) {
        SecuredService service = new SecuredService(port);
        Http.Response made = service.call(SecuredService.ADMIN_KEY, "POST", "/admin/keys",
                Http.json(Map.of("tenant", service.tenant("shown-once", Map.of()), "name", "ci", "role", "member")));
        String key = made.json().get("key").asString();
        assertThat(key).startsWith("bpk_");
        // 32 random bytes after the id: 256 bits, over the 128 the issue asks for.
        assertThat(java.util.Base64.getUrlDecoder().decode(key.substring(key.indexOf('.') + 1))).hasSize(32);
        service.submit(key, "{\"task\": \"classification\", \"data\": {\"columns\": [\"x\", \"y\"], \"rows\": [[0,0],[1,1],[0,0],[1,1]], "
                + "\"targetColumn\": \"y\"}, \"training\": {\"epochs\": 2}}");
        String listed = service.get(SecuredService.ADMIN_KEY, "/admin/keys").body();
        assertThat(listed).contains("\"name\":\"ci\"").contains("lastUsedAt").doesNotContain(key).doesNotContain(key.substring(key.indexOf('.') + 1));
        assertThat(output.getAll()).doesNotContain(key.substring(key.indexOf('.') + 1)).doesNotContain(SecuredService.ADMIN_KEY)
                .contains("key 'ci' of tenant 'shown-once' created job");
    }

    @Autowired
    JobRepository jobs;

    @Test
    void theJobsRecordAndTheLogSayWhoCreatedCancelledAndDeleted(CapturedOutput output) {
        SecuredService service = new SecuredService(port);
        String key = service.key(service.tenant("audited", Map.of()), "nightly", "member");
        String job = service.submit(key, TrainingRequests.longRunning(100_000));
        assertThat(service.call(key, "POST", "/jobs/" + job + "/cancel", null).status()).isEqualTo(200);
        service.awaitStatus(key, job, "CANCELLED");
        assertThat(jobs.findAuditTrail(java.util.UUID.fromString(job)))
                .hasValue(new JobRepository.AuditTrail("nightly", "nightly"));
        assertThat(service.call(key, "DELETE", "/jobs/" + job, null).status()).isEqualTo(204);
        assertThat(output.getAll()).contains("key 'nightly' of tenant 'audited' created job " + job,
                "key 'nightly' of tenant 'audited' cancelled job " + job, "key 'nightly' of tenant 'audited' deleted job " + job);
    }

    @Test
    void rolesLimitWhatAKeyMayDo() {
        SecuredService service = new SecuredService(port);
        String tenant = service.tenant("roles", Map.of());
        String member = service.key(tenant, "member", "member");
        String predictor = service.key(tenant, "serving", "predict-only");
        String job = service.submit(member, SecuredService.XOR);
        String model = service.awaitStatus(member, job, "SUCCEEDED").get("modelId").asString();
        assertThat(service.call(predictor, "POST", "/models/" + model + "/predict", "{\"instances\": [[0, 1]]}").status()).isEqualTo(200);
        assertThat(service.get(predictor, "/models/" + model).status()).isEqualTo(200);
        for (String[] call : new String[][]{{"POST", "/jobs", SecuredService.XOR}, {"GET", "/jobs", null},
                {"DELETE", "/models/" + model, null}, {"GET", "/datasets", null}}) {
            Http.Response refused = service.call(predictor, call[0], call[1], call[2]);
            assertThat(refused.status()).as("%s %s", call[0], call[1]).isEqualTo(403);
            assertThat(refused.json().get("type").asString()).endsWith("/forbidden");
        }
        for (String path : List.of("/admin/tenants", "/admin/keys", "/actuator/prometheus", "/actuator/health")) {
            assertThat(service.get(member, path).status()).as(path).isEqualTo(403);
            assertThat(service.get(null, path).status()).as(path).isEqualTo(401);
            assertThat(service.get(SecuredService.ADMIN_KEY, path).status()).as(path).isEqualTo(200);
        }
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/livez", "/readyz")) {
            assertThat(service.get(null, probe).status()).as(probe).isEqualTo(200);
        }
        assertThat(service.get(member, "/models/" + model).status()).isEqualTo(200);
    }

    @Test
    void quotasAnswer413Or429NamingTheQuotaAndAdminsSeeUsage() {
        SecuredService service = new SecuredService(port);
        String small = service.key(service.tenant("small", Map.of("dataset-bytes", 10L, "active-jobs", 1L)), "small", "member");
        Http.Response tooBig = service.http.request("POST", "/datasets?name=big",
                Map.of("Authorization", "Bearer " + small, "Content-Type", "text/csv"), SecuredService.XOR_CSV);
        assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(413);
        assertThat(tooBig.json().get("type").asString()).endsWith("/storage-quota-exceeded");
        assertThat(tooBig.json().get("detail").asString()).contains("dataset-bytes");
        String running = service.submit(small, TrainingRequests.longRunning(100_000));
        Http.Response secondJob = service.call(small, "POST", "/jobs", SecuredService.XOR);
        assertThat(secondJob.status()).as(secondJob.body()).isEqualTo(429);
        assertThat(secondJob.json().get("detail").asString()).contains("active-jobs");
        assertThat(secondJob.headers().firstValue("Retry-After")).isPresent();
        var usage = service.get(SecuredService.ADMIN_KEY, "/admin/tenants/small").json().get("quotas");
        assertThat(usage.get("active-jobs").get("used").asLong()).isEqualTo(1);
        assertThat(usage.get("active-jobs").get("limit").asLong()).isEqualTo(1);
        assertThat(usage.get("dataset-bytes").get("used").asLong()).isZero();
        assertThat(usage.get("datasets").get("limit").asLong()).as("the default").isEqualTo(1000);
        assertThat(usage.get("history-epochs").get("limit").asLong()).as("the default").isEqualTo(10_000_000);
        assertThat(service.call(small, "POST", "/jobs/" + running + "/cancel", null).status()).isEqualTo(200);

        String few = service.key(service.tenant("few", Map.of("datasets", 1L, "history-epochs", 10L)), "few", "member");
        service.uploadDataset(few, "only");
        Http.Response second = service.http.request("POST", "/datasets?name=second",
                Map.of("Authorization", "Bearer " + few, "Content-Type", "text/csv"), SecuredService.XOR_CSV);
        assertThat(second.status()).as(second.body()).isEqualTo(429);
        assertThat(second.json().get("quota").asString()).isEqualTo("datasets");
        assertThat(second.json().get("limit").asLong()).as("the tenant's own").isEqualTo(1);
        Http.Response history = service.call(few, "POST", "/jobs", SecuredService.XOR);
        assertThat(history.status()).as("20 epochs of history do not fit in 10: " + history.body()).isEqualTo(429);
        assertThat(history.json().get("detail").asString()).contains("history-epochs of tenant few: 0 used of 10, this needs 20");

        String full = service.key(service.tenant("no-models", Map.of("models", 0L)), "full", "member");
        Http.Response refused = service.call(full, "POST", "/jobs", SecuredService.XOR);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("type").asString()).endsWith("/quota-exceeded");
        assertThat(refused.json().get("detail").asString()).contains("models");
        assertThat(service.get(full, "/jobs").json().get("total").asLong()).isZero();
    }

    @Test
    void submitsAndPredictsArePerKeyRateLimitedWithRetryAfter() {
        SecuredService service = new SecuredService(port);
        String tenant = service.tenant("limited", Map.of());
        String first = service.key(tenant, "first", "member");
        String second = service.key(tenant, "second", "member");
        for (int i = 0; i < 3; i++) {
            assertThat(service.call(first, "POST", "/jobs?dryRun=true", SecuredService.XOR).status()).isEqualTo(200);
        }
        Http.Response limited = service.call(first, "POST", "/jobs?dryRun=true", SecuredService.XOR);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("type").asString()).endsWith("/rate-limited");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(service.call(second, "POST", "/jobs?dryRun=true", SecuredService.XOR).status()).as("another key's bucket").isEqualTo(200);
        String model = java.util.UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            assertThat(service.call(second, "POST", "/models/" + model + "/predict", "{\"instances\": [[0, 1]]}").status()).isEqualTo(404);
        }
        assertThat(service.call(second, "POST", "/models/" + model + "/predict", "{\"instances\": [[0, 1]]}").status()).isEqualTo(429);
    }

    @Test
    void everyKindOfAnswerCarriesTheSecurityHeaders() {
        SecuredService service = new SecuredService(port);
        String key = service.key(service.tenant("headers", Map.of()), "headers", "member");
        String job = service.submit(key, SecuredService.XOR);
        service.awaitStatus(key, job, "SUCCEEDED");
        Map<String, Http.Response> answers = new java.util.LinkedHashMap<>();
        answers.put("json", service.get(key, "/jobs/" + job));
        answers.put("problem 404", service.get(key, "/jobs/" + java.util.UUID.randomUUID()));
        answers.put("problem 400", service.call(key, "POST", "/jobs", "{\"data\": 1}"));
        answers.put("problem 401", service.get(null, "/jobs"));
        answers.put("problem 403", service.get(key, "/admin/keys"));
        answers.put("problem 413", service.call(key, "POST", "/jobs", "{\"x\": \"" + "a".repeat(10_485_760) + "\"}"));
        answers.put("event stream", service.get(key, "/jobs/" + job + "/events"));
        answers.put("openapi", service.get(null, "/v3/api-docs"));
        answers.put("probe", service.get(null, "/livez"));
        answers.put("html", service.get(null, "/swagger-ui/index.html"));
        answers.forEach((kind, answer) -> {
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(kind).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Cache-Control").orElse("")).as(kind).contains("no-store");
            assertThat(answer.headers().firstValue("X-Frame-Options")).as(kind).hasValue("DENY");
            assertThat(answer.headers().firstValue("Content-Security-Policy").orElse("")).as(kind).contains("frame-ancestors 'none'");
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).as(kind).isEmpty();
        });
        assertThat(answers.get("html").status()).isEqualTo(200);
        assertThat(answers.get("html").contentType()).startsWith("text/html");
        Http.Response preflight = service.http.request("OPTIONS", "/jobs", Map.of("Origin", "https://elsewhere.example",
                "Access-Control-Request-Method", "POST"), null);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as("no CORS by default").isEmpty();
    }

    @Test
    void theOpenApiDocumentOffersBearerKeysToSwaggerUi() {
        var document = new SecuredService(port).http.get("/v3/api-docs").json();
        assertThat(document.get("components").get("securitySchemes").get("apiKey").get("scheme").asString()).isEqualTo("bearer");
        assertThat(document.get("security").get(0).has("apiKey")).isTrue();
    }
}
