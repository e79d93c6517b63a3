package dev.backprop.dataset.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backprop.support.Http;
import dev.backprop.support.HttpEndToEndTest;
import dev.backprop.support.TrainingRequests;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** The README's first example over real HTTP: upload iris, train a 4-8-3 softmax classifier, predict a flower. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatasetsEndToEndTest extends HttpEndToEndTest {


    static String iris() {
        try (InputStream in = DatasetsEndToEndTest.class.getResourceAsStream("/examples/iris.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String uploadIris() {
        Http.Response upload = http.post("/datasets?name=iris", "text/csv", iris());
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String id = upload.json().get("id").asString();
        assertThat(upload.headers().firstValue("Location")).hasValue("/datasets/" + id);
        return id;
    }

    @Test
    void irisUploadTrainAndPredictARawRecord() {
        String datasetId = uploadIris();
        JsonNode dataset = http.get("/datasets/" + datasetId).json();
        assertThat(dataset.get("rows").asInt()).isEqualTo(150);
        assertThat(dataset.get("columns")).hasSize(5);
        assertThat(dataset.get("columns").get(0).get("type").asString()).isEqualTo("numeric");
        assertThat(dataset.get("columns").get(0).get("min").asDouble()).isEqualTo(4.3);
        JsonNode species = dataset.get("columns").get(4);
        assertThat(species.get("type").asString()).isEqualTo("categorical");
        assertThat(species.get("distinct").asInt()).isEqualTo(3);
        assertThat(species.get("topCategories").get(0).get("count").asInt()).isEqualTo(50);
        assertThat(dataset.get("preview")).hasSize(10);

        String body = Http.json(Map.of("data", Map.of("datasetId", datasetId, "targetColumn", "species"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 8, "activation", "relu")), "outputActivation", "softmax"),
                "training", Map.of("optimizer", "adam", "learningRate", 0.01, "epochs", 200, "batchSize", 16, "seed", 7,
                        "validationFraction", 0.2)));
        Http.Response submitted = http.post("/jobs", body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("parameterCount").asLong()).isEqualTo(4 * 8 + 8 + 8 * 3 + 3);
        JsonNode validation = http.get("/jobs/" + job.get("id").asString() + "/metrics").json().get("finalMetrics").get("validation");
        assertThat(validation.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.9);

        String record = "{\"records\": [{\"petal width (cm)\": 2.3, \"sepal length (cm)\": 6.9, \"petal length (cm)\": 5.7, "
                + "\"sepal width (cm)\": 3.2}, {\"sepal length (cm)\": 5.0, \"sepal width (cm)\": 3.4, \"petal length (cm)\": 1.5, "
                + "\"petal width (cm)\": 0.2}]}";
        JsonNode prediction = http.post("/models/" + job.get("modelId").asString() + "/predict", record).json();
        assertThat(prediction.get("predictions").get(0).get("label").asString()).isEqualTo("virginica");
        assertThat(prediction.get("predictions").get(1).get("label").asString()).isEqualTo("setosa");
    }

    @Test
    void categoricalAndMissingValuesTrainAndPredictFromShuffledRawRecords() {
        StringBuilder csv = new StringBuilder("size,colour,note,label\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < 240; i++) {
            double size = random.nextDouble(0, 10);
            String colour = colours[random.nextInt(3)];
            boolean positive = colour.equals("red") ? size > 3 : size > 7;
            String sizeCell = i % 17 == 0 ? "" : String.format(java.util.Locale.ROOT, "%.3f", size);
            String colourCell = i % 23 == 0 ? "" : colour;
            csv.append(sizeCell).append(',').append(colourCell).append(",n").append(i % 5).append(',')
                    .append(positive ? "yes" : "no").append('\n');
        }
        String datasetId = http.post("/datasets?name=mixed", "text/csv", csv.toString()).json().get("id").asString();
        JsonNode schema = http.get("/datasets/" + datasetId).json().get("columns");
        assertThat(schema.get(0).get("missing").asInt()).isPositive();
        assertThat(schema.get(1).get("type").asString()).isEqualTo("categorical");

        String body = Http.json(Map.of("data", Map.of("datasetId", datasetId, "targetColumn", "label",
                        "featureColumns", List.of("colour", "size")),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 16, "activation", "tanh"))),
                "training", Map.of("optimizer", "adam", "learningRate", 0.02, "epochs", 300, "batchSize", 32, "seed", 3,
                        "imputation", "median", "unknownCategories", "ignore", "validationFraction", 0.2)));
        Http.Response submitted = http.post("/jobs", body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitEnd(submitted.json().get("id").asString());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("parameterCount").asLong()).isEqualTo((3 + 1) * 16 + 16 + 16 + 1);
        assertThat(http.get("/jobs/" + job.get("id").asString() + "/metrics").json().get("finalMetrics").get("validation")
                .get("accuracy").asDouble()).isGreaterThan(0.85);

        String modelId = job.get("modelId").asString();
        JsonNode model = http.get("/models/" + modelId).json();
        assertThat(model.get("pipeline").get(0).get("kind").asString()).isEqualTo("categorical");
        assertThat(model.get("pipeline").get(0).get("categories").toString()).isEqualTo("[\"blue\",\"green\",\"red\"]");
        assertThat(model.get("pipeline").get(1).get("scaling").asString()).isEqualTo("standardize");

        JsonNode predictions = http.post("/models/" + modelId + "/predict", "{\"records\": ["
                + "{\"size\": 9.5, \"colour\": \"red\"}, {\"colour\": \"blue\", \"size\": 1.0}, "
                + "{\"colour\": \"purple\", \"size\": 9.9}, {\"colour\": null, \"size\": null}]}").json();
        assertThat(predictions.get("labels").toString()).isEqualTo("[\"no\",\"yes\"]");
        assertThat(predictions.get("predictions").get(0).get("label").asString()).isEqualTo("yes");
        assertThat(predictions.get("predictions").get(1).get("label").asString()).isEqualTo("no");
        assertThat(predictions.get("predictions")).hasSize(4);

        Http.Response wrongType = http.post("/models/" + modelId + "/predict", "{\"records\": [{\"size\": \"big\", \"colour\": \"red\"}]}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("errors").get(0).get("field").asString()).isEqualTo("records[0].size");
    }

    @Test
    void multipartAndJsonUploadsAndListing() throws Exception {
        String boundary = "backprop-test-boundary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"xor.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\nx1,x2,y\r\n0,0,0\r\n0,1,1\r\n1,0,1\r\n1,1,0\r\n--" + boundary + "--\r\n";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"name\":\"xor.csv\"").contains("\"rows\":4");

        Http.Response json = http.post("/datasets", "{\"name\": \"tiny\", \"columns\": [\"a\", \"b\"], \"rows\": [[1, \"x\"], [null, \"y\"]]}");
        assertThat(json.status()).isEqualTo(201);
        assertThat(json.json().get("columns").get(0).get("missing").asInt()).isEqualTo(1);
        assertThat(http.get("/datasets?size=100").json().get("items").toString()).contains("xor.csv").contains("tiny");
    }

    @Test
    void badCsvGetsAProblemNamingRowAndColumn() {
        Http.Response ragged = http.post("/datasets", "text/csv", "a,b\n1,2\n3\n");
        assertThat(ragged.status()).isEqualTo(400);
        assertThat(ragged.contentType()).startsWith("application/problem+json");
        assertThat(ragged.json().get("errors").get(0).get("field").asString()).isEqualTo("row 2");
        Http.Response nan = http.post("/datasets", "text/csv", "a,b\n1,NaN\n");
        assertThat(nan.json().get("errors").get(0).get("field").asString()).isEqualTo("row 1, column 'b'");
        assertThat(http.post("/datasets", "text/csv", "").status()).isEqualTo(400);
        assertThat(http.get("/datasets/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void aSemicolonFileIsReadAsItsColumnsAndTrainsWithItsAnswersGzipped() throws Exception {
        String semicolons = iris().replace(',', ';');
        Http.Response upload = http.post("/datasets?name=iris-semicolons", "text/csv", semicolons);
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        assertThat(upload.json().get("columns")).hasSize(5);
        assertThat(upload.json().get("columns").get(0).get("type").asString()).isEqualTo("numeric");
        String body = Http.json(Map.of("data", Map.of("datasetId", upload.json().get("id").asString(), "targetColumn", "species"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 4, "activation", "relu")), "initializer", "torch_default"),
                "training", Map.of("epochs", 60, "seed", 3)));
        JsonNode job = awaitEnd(accepted(body));
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");

        // A metrics history is many kilobytes of JSON: gzip when the client accepts it, plain text otherwise.
        HttpClient client = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/jobs/" + job.get("id").asString() + "/metrics");
        HttpResponse<byte[]> gzipped = client.send(HttpRequest.newBuilder(metrics).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] text;
        try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            text = in.readAllBytes();
        }
        assertThat(text.length).isGreaterThan(2 * gzipped.body().length);
        assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo(http.get(metrics.getPath()).body());
        assertThat(http.get(metrics.getPath()).headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void delimiterAndColumnTypesChangeHowTheFileReadsAndBadOnesAreA400() {
        String csv = "age|zip|label\n31|007|a\n?|10115|b\n45|20095|a\n";
        Http.Response typed = http.post("/datasets?delimiter=pipe&columnTypes=age:numeric,zip:categorical", "text/csv", csv);
        assertThat(typed.status()).as(typed.body()).isEqualTo(201);
        JsonNode age = typed.json().get("columns").get(0);
        assertThat(age.get("type").asString()).isEqualTo("numeric");
        assertThat(age.get("missing").asInt()).isEqualTo(1);
        assertThat(age.get("nonNumeric").get("count").asInt()).isEqualTo(1);
        assertThat(age.get("nonNumeric").get("firstRows").get(0).asInt()).isEqualTo(2);
        assertThat(age.get("nonNumeric").get("readAs").asString()).isEqualTo("missing");
        assertThat(typed.json().get("columns").get(1).get("type").asString()).isEqualTo("categorical");
        JsonNode preview = http.get("/datasets/" + typed.json().get("id").asString()).json().get("preview");
        assertThat(preview.get(0).get(1).asString()).isEqualTo("007");

        StringBuilder mostlyNumbers = new StringBuilder("x,y\n");
        for (int r = 1; r <= 30; r++) {
            mostlyNumbers.append(r == 12 ? "n/a" : r * 1.5).append(',').append(r % 2).append('\n');
        }
        JsonNode flagged = http.post("/datasets", "text/csv", mostlyNumbers.toString()).json().get("columns").get(0);
        assertThat(flagged.get("type").asString()).isEqualTo("categorical");
        assertThat(flagged.get("nonNumeric").get("values").get(0).asString()).isEqualTo("n/a");
        assertThat(flagged.get("nonNumeric").get("readAs").asString()).isEqualTo("categorical");

        for (String query : List.of("delimiter=colon", "columnTypes=age:integer", "columnTypes=age", "columnTypes=nope:numeric")) {
            Http.Response bad = http.post("/datasets?" + query, "text/csv", csv);
            assertThat(bad.status()).as(query).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");
            assertThat(bad.json().get("errors").get(0).get("field").asString()).as(query).isIn("delimiter", "columnTypes");
        }
    }

    @Test
    void aDatasetUsedByARunningJobCannotBeDeleted() {
        Http.Response upload = http.post("/datasets", "text/csv", "x0,x1,x2,y\n" + String.join("\n",
                java.util.stream.IntStream.range(0, 200).mapToObj(i -> (i % 7) + "," + (i % 5) + "," + (i % 3) + "," + (i % 2)).toList()) + "\n");
        String datasetId = upload.json().get("id").asString();
        String body = TrainingRequests.longRunning(100_000).replaceFirst("\"data\":\\{[^}]*\\}", "\"data\":{\"datasetId\":\"" + datasetId
                + "\",\"targetColumn\":\"y\"}");
        assertThat(body).contains("datasetId");
        Http.Response submitted = http.post("/jobs", body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.json().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(http.get("/jobs/" + jobId).json().get("status").asString()));

        Http.Response conflict = http.delete("/datasets/" + datasetId);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("type").asString()).endsWith("/dataset-in-use");

        http.post("/jobs/" + jobId + "/cancel", "");
        awaitEnd(jobId);
        assertThat(http.delete("/datasets/" + datasetId).status()).isEqualTo(204);
        assertThat(http.get("/datasets/" + datasetId).status()).isEqualTo(404);
    }

    @Test
    void inlineCsvInATrainingRequestGoesThroughTheSameReader() {
        Http.Response submitted = http.post("/jobs", Http.json(Map.of("data", Map.of("csv", iris(), "targetColumn", "species"),
                "network", Map.of("hiddenLayers", List.of(Map.of("units", 8))), "training", Map.of("epochs", 5, "seed", 1))));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        assertThat(submitted.json().get("data").get("rows").asInt()).isEqualTo(150);
        assertThat(submitted.json().get("data").get("classes")).hasSize(3);
        Http.Response bad = http.post("/jobs", Http.json(Map.of("data", Map.of("csv", "a,y\n1,NaN\n", "targetColumn", "y"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("row 1, column 'y'");
    }

    @Test
    void trainingOnAnUnknownDatasetOrColumnIsA400() {
        Http.Response unknown = http.post("/jobs", "{\"data\": {\"datasetId\": \"" + java.util.UUID.randomUUID() + "\", \"targetColumn\": \"y\"}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("data.datasetId");
        String datasetId = uploadIris();
        Http.Response column = http.post("/jobs", "{\"data\": {\"datasetId\": \"" + datasetId + "\", \"targetColumn\": \"colour\"}}");
        assertThat(column.status()).isEqualTo(400);
        assertThat(column.json().get("errors").get(0).get("field").asString()).isEqualTo("data.targetColumn");
    }
}
