package dev.backprop.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.net.InetAddress;
import java.util.Map;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The README's keyless flow: no key configured, so the service listens on 127.0.0.1 only and serves one
 * default tenant; a page of another site still cannot cancel a job through the browser.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeylessLocalEndToEndTest extends HttpEndToEndTest {

    @Autowired
    WebServerApplicationContext context;

    @Test
    void withNoKeyConfiguredTheServiceListensOnLoopbackOnly() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
        assertThat(connector.getProperty("address")).isInstanceOf(InetAddress.class);
        assertThat(((InetAddress) connector.getProperty("address")).isLoopbackAddress()).isTrue();
        assertThat(http.get("/jobs").status()).isEqualTo(200);
    }

    @Test
    void aCrossSiteFormPostCannotCancelAJob() {
        String job = accepted(TrainingRequests.longRunning(100_000));
        Http.Response form = http.request("POST", "/jobs/" + job + "/cancel",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "x=1");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("detail").asString()).contains("without an API key");
        Http.Response plain = http.request("POST", "/jobs/" + job + "/cancel", Map.of("Content-Type", "text/plain"), "x");
        assertThat(plain.status()).isEqualTo(415);
        Http.Response crossSite = http.request("POST", "/jobs/" + job + "/cancel",
                Map.of("Origin", "https://elsewhere.example", "Content-Type", "multipart/form-data; boundary=b"), "--b--\r\n");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.json().get("type").asString()).endsWith("/cross-site-request");
        Http.Response deleteFromElsewhere = http.request("DELETE", "/jobs/" + job, Map.of("Origin", "https://elsewhere.example"), null);
        assertThat(deleteFromElsewhere.status()).isEqualTo(403);
        assertThat(http.get("/jobs/" + job).json().get("status").asString()).isIn("QUEUED", "RUNNING");
        // What curl and the dashboard send: no form content type, no foreign origin.
        assertThat(http.request("POST", "/jobs/" + job + "/cancel", Map.of(), null).status()).isEqualTo(200);
        awaitJob(job, "CANCELLED");
    }

    @Test
    void keylessAnswersCarryTheSecurityHeaders() {
        for (Http.Response answer : new Http.Response[]{http.get("/jobs"), http.get("/jobs/" + java.util.UUID.randomUUID()),
                http.get("/swagger-ui/index.html")}) {
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
            assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
    }
}
