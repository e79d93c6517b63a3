package dev.backprop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The dashboard of a service that requires keys: a key entered once in the tab is sent with every request of
 * the pages, the event stream included, and cancel works with it. A context of its own, with an admin key
 * configured, since the first key of a keyless service turns keys on for every other test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=127.0.0.1",
        "backprop.security.admin-key=" + DashboardKeysBrowserTest.KEY})
@Import(AuthorizationHeaders.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardKeysBrowserTest {

    static final String KEY = "dashboard-admin-key-0123456789abcdef";

    @LocalServerPort
    int port;

    @Autowired
    private AuthorizationHeaders headers;

    private Http http;
    private Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = Browser.startOrSkip(port);
        http = new Http(port);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aKeyEnteredOnceIsSentWithEveryRequestOfTheTabAndCancelStopsARunningJob() {
        Map<String, String> withKey = Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json");
        Http.Response submitted = http.request("POST", "/jobs", withKey, longJob());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.json().get("id").asString();
        assertThat(http.get("/jobs/" + jobId).status()).as("the service requires keys").isEqualTo(401);

        browser.open("/ui/jobs");
        browser.find("#api-key").sendKeys(KEY, Keys.ENTER);
        // Opened without the key, the list was refused: what a page of a secured service shows until a key is entered.
        assertThat(browser.consoleErrors()).isNotEmpty().allSatisfy(e -> assertThat(e).contains("/jobs").contains("401"));
        browser.open("/ui/jobs/" + jobId);
        WebElement loss = browser.waitFor("#loss-chart");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> DashboardBrowserTest.points(loss) > 0);
        browser.find("#cancel").click();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                "CANCELLED".equals(http.request("GET", "/jobs/" + jobId, withKey, null).json().get("status").asString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.find("#job-summary").getText().contains("CANCELLED"));
        browser.screenshot("job-cancelled");
        browser.assertNoErrors();
        String bearer = "Bearer " + KEY;
        List<AuthorizationHeaders.Seen> seen = headers.seen();
        for (String[] request : new String[][] {{"GET", "/jobs/" + jobId}, {"GET", "/jobs/" + jobId + "/events"},
                {"GET", "/jobs/" + jobId + "/metrics"}, {"POST", "/jobs/" + jobId + "/cancel"}}) {
            assertThat(seen).as("%s %s", request[0], request[1])
                    .contains(new AuthorizationHeaders.Seen(request[0], request[1], bearer));
        }
        // The key is the tab's: it stays across pages until cleared.
        assertThat(browser.script("return sessionStorage.getItem('backprop.apiKey');")).isEqualTo(KEY);
        browser.script("sessionStorage.clear();");
    }

    /**
     * A job that is still running when the page's cancel is clicked, however fast the machine: 1,000 noisy XOR rows in
     * mini-batches of 8 make each epoch 125 steps (the 4-row XOR's 100,000 epochs ended in 2 s on a quiet machine,
     * before the page was up).
     */
    private static String longJob() {
        java.util.Random random = new java.util.Random(7);
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 1_000; r++) {
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            rows.append(r == 0 ? "" : ", ").append("[").append(x1).append(", ").append(x2).append(", ")
                    .append((x1 > 0.5) != (x2 > 0.5) ? 1 : 0).append("]");
        }
        return """
                {"name": "long-xor", "task": "classification",
                 "data": {"columns": ["x1", "x2", "y"], "rows": [%s], "targetColumn": "y"},
                 "network": {"hiddenLayers": [{"units": 8, "activation": "tanh"}], "outputActivation": "sigmoid"},
                 "training": {"loss": "binary_crossentropy", "optimizer": "sgd", "learningRate": 0.01, "epochs": 100000,
                              "batchSize": 8, "seed": 42, "validationFraction": 0, "scaling": "none"}}""".formatted(rows);
    }
}
