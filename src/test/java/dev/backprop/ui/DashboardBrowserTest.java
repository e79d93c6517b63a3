package dev.backprop.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser against the running application: upload, train from the form and watch the
 * curves grow, read the model's confusion matrix, run the tutorial's grid and read its leaderboard. Every page
 * visited must be free of script and console errors. Skipped, saying why, only where chromium is not installed
 * (.ci/run installs it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@Import(AuthorizationHeaders.class)
class DashboardBrowserTest extends BrowserEndToEndTest {

    private static final Duration JOB = Duration.ofSeconds(60);


    @Test
    void anUploadedDataSetTrainsFromTheFormWithLiveCurvesAndItsModelShowsTheConfusionMatrix() throws Exception {
        browser.open("/ui/datasets");
        browser.assertNoErrors();
        Path iris = Path.of(getClass().getResource("/datasets/iris.csv").toURI());
        browser.find("#upload-name").sendKeys("iris");
        browser.find("#upload-file").sendKeys(iris.toAbsolutePath().toString());
        browser.find("#upload-form button[type=submit]").click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.path().matches("/ui/datasets/[0-9a-f-]{36}"));
        String datasetId = browser.path().substring("/ui/datasets/".length());
        browser.waitFor("#schema tbody tr");
        assertThat(browser.all("#schema tbody tr")).hasSize(5);
        assertThat(http.get("/datasets/" + datasetId).json().get("rows").asInt()).isEqualTo(150);
        // The form's defaults come from the dry run: iris's 100 relu units and adam's 0.001.
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.find("#train-submit").isEnabled());
        assertThat(browser.find("#train-units").getDomProperty("value")).isEqualTo("100");
        assertThat(browser.find("#train-learning-rate").getDomProperty("value")).isEqualTo("0.001");
        assertThat(browser.find("#train-target").getDomProperty("value")).isEqualTo("species");
        browser.screenshot("dataset-iris");
        browser.assertNoErrors();

        set("#train-units", "8");
        set("#train-learning-rate", "0.01");
        // Long enough for several redraws (every 250 ms) after the page is up, however fast the machine: 1,500 epochs
        // took under 2 s once one-row products ran on plain loops, and the page was up for one redraw only.
        set("#train-epochs", "6000");
        // batch 1: epochs slow enough (early stopping ends it within ~1,000) for the page to draw several times on a fast machine
        set("#train-batch-size", "1");
        set("#train-validation", "0.2");
        browser.find("#train-submit").click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.path().matches("/ui/jobs/[0-9a-f-]{36}"));
        String jobId = browser.path().substring("/ui/jobs/".length());
        JsonNode submitted = http.get("/jobs/" + jobId).json();
        assertThat(submitted.at("/request/training/epochs").asInt()).isEqualTo(6000);
        assertThat(submitted.at("/request/network/hiddenLayers/0/units").asInt()).isEqualTo(8);

        // While it runs, the curve gains points as the events arrive: the page records every count it draws
        // (a MutationObserver), so no redraw is missed between two polls of the driver.
        WebElement loss = browser.waitFor("#loss-chart");
        browser.script("window.drawnCounts = [arguments[0].dataset.points || '0'];"
                + "new MutationObserver(() => window.drawnCounts.push(arguments[0].dataset.points))"
                + ".observe(arguments[0], {attributes: true, attributeFilter: ['data-points']});", loss);
        JsonNode job = awaitEnd(jobId);
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        int epochs = job.at("/progress/done").asInt();
        await().atMost(Duration.ofSeconds(10)).until(() -> points(loss) == epochs);
        Set<Integer> seen = new TreeSet<>();
        ((List<?>) browser.script("return window.drawnCounts;")).forEach(n -> seen.add(Integer.parseInt(String.valueOf(n))));
        assertThat(seen).as("point counts drawn while running").filteredOn(n -> n > 0 && n < epochs).hasSizeGreaterThanOrEqualTo(2);
        JsonNode metrics = http.get("/jobs/" + jobId + "/metrics").json();
        JsonNode history = metrics.get("history");
        assertThat(loss.getDomAttribute("data-last-epoch")).isEqualTo(String.valueOf(history.get(history.size() - 1).get("epoch").asInt()))
                .isEqualTo(String.valueOf(epochs));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.all("#stop-reason").size() == 1);
        assertThat(browser.find("#stop-reason").getText()).isEqualTo(metrics.get("stopReason").asString());
        browser.screenshot("job-training");
        browser.assertNoErrors();

        browser.waitFor("#model-link").click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.path().startsWith("/ui/models/"));
        browser.waitFor("#confusion-matrix td.cell");
        JsonNode counts = metrics.at("/finalMetrics/validation/confusionMatrix/counts");
        assertThat(browser.find("#confusion-matrix").getDomAttribute("data-split")).isEqualTo("validation");
        List<List<Integer>> cells = matrix();
        List<List<Integer>> expected = new ArrayList<>();
        counts.forEach(row -> {
            List<Integer> values = new ArrayList<>();
            row.forEach(v -> values.add(v.asInt()));
            expected.add(values);
        });
        assertThat(cells).isEqualTo(expected);
        // Row-normalized: each cell reads its share of the row.
        browser.find("input[name=cm-mode][value=normalized]").click();
        browser.waitFor("#confusion-matrix[data-mode=normalized]");
        int rowTotal = expected.get(1).stream().mapToInt(Integer::intValue).sum();
        assertThat(browser.find("#confusion-matrix td.cell[data-row='1'][data-col='1']").getText())
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * expected.get(1).get(1) / rowTotal));
        // Three classes: one ROC curve per class (one-vs-rest), each with as many points as the evaluate answer's.
        WebElement roc = browser.waitFor("#roc-chart[data-series-points]");
        JsonNode classCurves = http.post("/models/" + job.get("modelId").asString() + "/evaluate",
                "{\"datasetId\": \"" + datasetId + "\"}").json().get("classCurves");
        List<String> curvePoints = new ArrayList<>();
        classCurves.forEach(c -> curvePoints.add(String.valueOf(c.get("rocCurve").size())));
        assertThat(curvePoints).hasSize(3);
        assertThat(roc.getDomAttribute("data-series-points")).isEqualTo(String.join(",", curvePoints));
        browser.screenshot("model-iris");
        browser.assertNoErrors();
        assertReadableInANarrowWindow("model-iris-narrow");

        // The predict form built from the input schema answers with a class of the model.
        browser.find("#predict-form button[type=submit]").click();
        browser.waitFor("#prediction strong");
        assertThat(browser.find("#prediction strong").getText()).isIn("setosa", "versicolor", "virginica");
        browser.assertNoErrors();
    }

    @Test
    void theTutorialsGridShowsEighteenTrialsRankedByScore() throws Exception {
        String grid = new String(getClass().getResourceAsStream("/openapi/examples/grid.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String jobId = accepted(grid);
        browser.open("/ui/jobs/" + jobId);
        awaitEnd(jobId);
        await().atMost(JOB).pollInterval(Duration.ofMillis(100)).until(() -> browser.all("#leaderboard tbody tr").size() == 18
                && browser.find("#job-summary").getText().contains("SUCCEEDED"));
        List<Double> shown = scores();
        assertThat(shown).hasSize(18).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        List<Double> ranked = new ArrayList<>();
        JsonNode trials = http.get("/jobs/" + jobId + "/metrics").json().at("/search/trials");
        trials.forEach(t -> ranked.add(t.get("score").asDouble()));
        ranked.sort((a, b) -> Double.compare(b, a));
        assertThat(shown).isEqualTo(ranked);
        assertThat(browser.find("#score-by-trial").getDomAttribute("data-points")).isEqualTo("18");
        browser.screenshot("job-grid-search");
        browser.assertNoErrors();

        // Sorting by trial number, from the keyboard, puts the trials in index order.
        browser.all("#leaderboard th button").get(1).sendKeys(Keys.ENTER);
        List<Integer> indices = new ArrayList<>();
        browser.all("#leaderboard tbody tr").forEach(r -> indices.add(Integer.parseInt(r.getDomAttribute("data-trial"))));
        assertThat(indices).hasSize(18).isSorted();

        // Two trials ticked in the leaderboard draw their curves, each as long as the history the API keeps for it.
        browser.find("#leaderboard input.compare[value='3']").click();
        browser.find("#leaderboard input.compare[value='11']").click();
        String expected = "3:" + http.get("/jobs/" + jobId + "/trials/3/history").json().get("history").size()
                + ",11:" + http.get("/jobs/" + jobId + "/trials/11/history").json().get("history").size();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.all("#compared-loss[data-trials]").size() == 1
                && expected.equals(browser.find("#compared-loss").getDomAttribute("data-trials")));
        assertThat(browser.find("#compared-metric").getDomAttribute("data-trials")).isEqualTo(expected);
        browser.screenshot("job-grid-compare");
        browser.assertNoErrors();

        // The type filter is the API's: the page lists the answer's jobs and its total.
        JsonNode grids = http.get("/jobs?type=grid_search&size=50").json();
        browser.open("/ui/jobs?type=grid_search");
        browser.waitFor("#jobs tbody tr");
        assertThat(browser.all("#jobs tbody tr")).hasSize(grids.get("items").size())
                .allSatisfy(r -> assertThat(r.getDomAttribute("data-type")).isEqualTo("grid_search"));
        assertThat(browser.find("nav[aria-label=Pages]").getText()).contains("(" + grids.get("total").asLong() + " jobs)");
        browser.screenshot("jobs-list");
        browser.assertNoErrors();
    }

    @Test
    void tenThousandEpochsDrawDownsampledWithExactValuesOnHover() {
        String jobId = accepted(xor(10_000));
        awaitEnd(jobId);
        browser.open("/ui/jobs/" + jobId);
        WebElement loss = browser.waitFor("#loss-chart");
        await().atMost(Duration.ofSeconds(20)).until(() -> points(loss) == 10_000);
        assertThat(Integer.parseInt(loss.getDomAttribute("data-drawn"))).isBetween(500, 1100);
        JsonNode history = http.get("/jobs/" + jobId + "/metrics").json().get("history");
        WebElement over = loss.findElement(org.openqa.selenium.By.cssSelector(".u-over"));
        new Actions(browser.driver()).moveToElement(over, 37, 0).perform();
        String readout = loss.findElement(org.openqa.selenium.By.xpath("../p[@class='readout']")).getText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("epoch (\\d+): loss ([^,]+),").matcher(readout);
        assertThat(m.find()).as(readout).isTrue();
        int epoch = Integer.parseInt(m.group(1));
        assertThat(Double.parseDouble(m.group(2))).isEqualTo(history.get(epoch - 1).get("loss").asDouble());
        browser.screenshot("job-xor-10000-epochs");
        browser.assertNoErrors();
    }

    @Test
    void aScriptErrorOnAPageIsCaught() {
        browser.open("/ui/models");
        browser.assertNoErrors();
        // As a script of the page's own origin: an error thrown by the driver's script would reach the page as "Script
        // error.", and the pages' content security policy runs no inline script (test resource static/test/throws.js).
        browser.script("const s = document.createElement('script'); s.src = '/test/throws.js'; document.head.append(s);");
        await().atMost(Duration.ofSeconds(5)).until(() -> !browser.pageErrors().isEmpty());
        assertThat(browser.pageErrors()).anySatisfy(e -> assertThat(e).contains("deliberate"));
        assertThat(browser.consoleErrors()).anySatisfy(e -> assertThat(e).contains("deliberate"));
    }

    /** Reloads the page in a phone-sized window: nothing may stick out sideways (wide tables scroll in their box). */
    private void assertReadableInANarrowWindow(String screenshot) {
        Dimension wide = browser.driver().manage().window().getSize();
        browser.driver().manage().window().setSize(new Dimension(400, 900));
        try {
            browser.driver().navigate().refresh();
            browser.waitFor("#main[data-ready]");
            Object overflow = browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(((Number) overflow).intValue()).as("page wider than the window").isLessThanOrEqualTo(0);
            browser.screenshot(screenshot);
            browser.assertNoErrors();
        } finally {
            browser.driver().manage().window().setSize(wide);
        }
    }

    /** The README's XOR walkthrough request with the given epochs. */
    static String xor(int epochs) {
        return """
                {"name": "xor", "task": "classification",
                 "data": {"columns": ["x1", "x2", "y"], "rows": [[0,0,0], [0,1,1], [1,0,1], [1,1,0]], "targetColumn": "y"},
                 "network": {"hiddenLayers": [{"units": 4, "activation": "sigmoid"}], "outputActivation": "sigmoid"},
                 "training": {"loss": "mse", "optimizer": "sgd", "learningRate": 0.1, "epochs": %d, "seed": 42,
                              "validationFraction": 0, "scaling": "none"}}""".formatted(epochs);
    }

    private void set(String css, String value) {
        WebElement input = browser.find(css);
        input.clear();
        input.sendKeys(value);
    }

    static int points(WebElement chart) {
        String points = chart.getDomAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    private List<List<Integer>> matrix() {
        List<List<Integer>> rows = new ArrayList<>();
        browser.all("#confusion-matrix tbody tr").forEach(tr -> {
            List<Integer> row = new ArrayList<>();
            tr.findElements(org.openqa.selenium.By.cssSelector("td.cell")).forEach(td -> row.add(Integer.parseInt(td.getText())));
            rows.add(row);
        });
        return rows;
    }

    private List<Double> scores() {
        List<Double> scores = new ArrayList<>();
        browser.all("#leaderboard tbody tr").forEach(tr -> scores.add(Double.parseDouble(tr.getDomAttribute("data-score"))));
        return scores;
    }
}
