package dev.backprop.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** The dashboard's addresses and files over real HTTP, with or without a browser installed. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@Import(AuthorizationHeaders.class) // as DashboardBrowserTest, so that both share one application context
class DashboardRoutesTest extends HttpEndToEndTest {

    @Test
    void everyPageAddressAnswersTheShell() {
        String id = UUID.randomUUID().toString();
        for (String path : new String[] {"/", "/ui", "/ui/jobs", "/ui/jobs/" + id, "/ui/models", "/ui/models/" + id,
                "/ui/datasets", "/ui/datasets/" + id}) {
            Http.Response response = http.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.contentType()).as(path).startsWith("text/html");
            assertThat(response.body()).as(path).contains("<script type=\"module\" src=\"/ui/app.js\">");
        }
    }

    @Test
    void theScriptsAndTheChartLibraryAreServedByTheApplication() {
        Http.Response app = http.get("/ui/app.js");
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.contentType()).contains("javascript");
        // Version-less, through the WebJars locator: the pages do not repeat the pom's uPlot version.
        Http.Response uplot = http.get("/webjars/uplot/dist/uPlot.esm.js");
        assertThat(uplot.status()).isEqualTo(200);
        assertThat(uplot.body()).contains("export");
        assertThat(http.get("/webjars/uplot/dist/uPlot.min.css").status()).isEqualTo(200);
    }

    @Test
    void aMissingFileIsAProblemNotAPage() {
        Http.Response response = http.get("/ui/no-such-file.js");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }
}
