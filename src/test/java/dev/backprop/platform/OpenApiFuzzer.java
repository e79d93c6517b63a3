package dev.backprop.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests made from the service's own OpenAPI document: for each operation, values built from its documented
 * schemas (or its examples) and then broken — wrong types, nulls, huge strings, extreme numbers, unicode, NUL,
 * deep nesting, broken JSON, bad path segments and query values, wrong content types, multipart without a
 * boundary, CSV edge cases, methods nobody documented. Request {@code n} depends on the seed and {@code n} only,
 * so a failure is reproduced by its number.
 */
final class OpenApiFuzzer {

    /** One documented operation. */
    record Operation(String method, String path, JsonNode node) {
        String name() {
            return method.toUpperCase() + " " + path;
        }
    }

    /** A request as it goes on the wire. */
    record FuzzRequest(int number, Operation operation, String method, String target, String contentType, byte[] body) {
        /** What a person needs to send it again. */
        String reproducer() {
            String text = body == null ? "(no body)" : new String(body, StandardCharsets.UTF_8);
            String prefix = text.length() > 300 ? text.substring(0, 300) + "… (" + body.length + " bytes)" : text;
            String target = this.target.length() > 300 ? this.target.substring(0, 300) + "… (" + this.target.length() + " chars)" : this.target;
            return "#" + number + " " + method + " " + target + " [Content-Type: " + contentType + "] "
                    + prefix.replace("\u0000", "\\u0000").replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Stands for text Jackson would not write (raw tokens, lone surrogates): replaced after serialization. */
    private static final char MARK = '\uE000';
    private static final List<String> BAD_SEGMENTS = List.of("%2F", "a%5Cb", "%00", "%zz", "%", "%E0%A4%A", "..", "%2e%2e",
            "%C3%A9t%C3%A9", "a;b", "%3B", "%20", "-1", "9".repeat(30), "%F0%9F%98%80", "%FF%FE", "null", "a%2Fb%2F..",
            "x".repeat(3000), "%u0041", "%25", "a:b", "*");
    private static final List<String> BAD_QUERY_VALUES = List.of("", "-1", "0", "99999999999999999999", "1e309", "NaN",
            "-Infinity", "abc", "%00", "%zz", "%", "%C3%A9", "true", "null", "[1]", "%FF", "a".repeat(3000), "2147483648",
            "0.5", "%2C%2C", ",", ":", "a:b,c:d", "x:numeric", "%0D%0AX-Injected:%201");
    private static final List<String> WRONG_TYPES = List.of("text/plain", "application/xml", "multipart/form-data",
            "multipart/form-data; boundary=", "application/x-www-form-urlencoded", "application/json; charset=foo",
            "application/json; charset=UTF-16", "text/csv", "foo", "", "application/octet-stream", "*/*", "application/json;;",
            "text/csv; charset=ISO-8859-1", "application/problem+json", "application/json-patch+json");
    private static final List<String> ODD_METHODS = List.of("TRACE", "PATCH", "PUT", "OPTIONS", "HEAD", "DELETE", "FOO", "GET", "POST");
    private static final List<String> ODD_STRINGS = List.of("", " ", "é😀\u202e", "\u0000", "a\u0000b", MARK + "LONE" + MARK,
            "../../etc/passwd", "<script>", "'; DROP TABLE job; --", "\uFEFF", "NaN", "Infinity", "1e999", "null", "true",
            "x1", "y", "relu", "classification", "\t\n", "ｘ", "%s%n");
    private static final List<String> RAW_NUMBERS = List.of("-1", "0", "-0", "1e308", "-1e308", "1e999", "99999999999999999999999",
            "2147483648", "-2147483649", "9223372036854775808", "1e-320", "0.0000001", "NaN", "Infinity", "-Infinity", "1.5", "00",
            "0x10", "1e", "+1");

    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, String> ids;
    private final long seed;

    /**
     * @param ids real values of path parameters (by parameter name and the path's first segment, e.g.
     *            {@code jobs/id}), used for about half of the requests so that they reach past the 404
     */
    OpenApiFuzzer(JsonNode document, Map<String, String> ids, long seed) {
        this.document = document;
        this.ids = ids;
        this.seed = seed;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").properties().iterator(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().properties().iterator(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                operations.add(new Operation(method.getKey(), path.getKey(), method.getValue()));
            }
        }
    }

    List<Operation> operations() {
        return operations;
    }

    /** Request {@code n}: operations in turn, everything else drawn from a stream of its own. */
    FuzzRequest request(int n) {
        SplittableRandom random = new SplittableRandom(seed + n * 0x9E3779B97F4A7C15L);
        Operation operation = operations.get(n % operations.size());
        String method = random.nextInt(100) < 88 ? operation.method().toUpperCase() : pick(random, ODD_METHODS);
        String target = path(random, operation, method) + query(random, operation.node());
        JsonNode body = operation.node().path("requestBody").path("content");
        if (body.isMissingNode() && random.nextInt(100) >= 5) {
            return new FuzzRequest(n, operation, method, target, null, null);
        }
        List<String> documented = new ArrayList<>(body.propertyNames());
        String contentType = documented.isEmpty() || random.nextInt(100) < 25 ? pick(random, WRONG_TYPES) : pick(random, documented);
        if (contentType.equals("multipart/form-data") && documented.contains(contentType) && random.nextInt(3) > 0) {
            String boundary = "fuzz" + random.nextInt(1_000_000);
            return new FuzzRequest(n, operation, method, target, "multipart/form-data; boundary=" + boundary,
                    multipart(random, boundary).getBytes(StandardCharsets.UTF_8));
        }
        return new FuzzRequest(n, operation, method, target, contentType, body(random, contentType, body.path(contentType)));
    }

    private String path(SplittableRandom random, Operation operation, String method) {
        StringBuilder path = new StringBuilder();
        String first = operation.path().split("/")[1];
        for (String segment : operation.path().substring(1).split("/")) {
            path.append('/');
            if (!segment.startsWith("{")) {
                path.append(segment);
                continue;
            }
            String real = ids.get(first + "/" + segment.substring(1, segment.length() - 1));
            int roll = random.nextInt(100);
            // a DELETE never gets a real id: the objects the other requests work on must stay
            if (real != null && roll < 50 && !method.equals("DELETE")) {
                path.append(real);
            } else if (roll < 65) {
                path.append(UUID.randomUUID());
            } else {
                path.append(pick(random, BAD_SEGMENTS));
            }
        }
        return path.toString();
    }

    private String query(SplittableRandom random, JsonNode operation) {
        List<String> pairs = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (!parameter.path("in").asString().equals("query") || random.nextInt(100) < 40) {
                continue;
            }
            String value = random.nextInt(100) < 50 ? encode(scalar(random, resolve(parameter.path("schema")), type(random, resolve(parameter.path("schema"))))) : pick(random, BAD_QUERY_VALUES);
            pairs.add(parameter.get("name").asString() + "=" + value);
            if (random.nextInt(100) < 5) {
                pairs.add(parameter.get("name").asString() + "=" + pick(random, BAD_QUERY_VALUES));
            }
        }
        if (operation.path("operationId").asString().equals("submitJob") || random.nextInt(100) < 3) {
            // most submits are dry runs: they validate everything and leave no job behind
            if (random.nextInt(100) < 80) {
                pairs.add("dryRun=true");
            }
        }
        if (random.nextInt(100) < 8) {
            pairs.add(pick(random, List.of("unknown=1", "%zz=1", "=", "&&", "a[b]=c", "page=1&page=x")));
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private byte[] body(SplittableRandom random, String contentType, JsonNode media) {
        if (contentType.startsWith("text/csv")) {
            return csv(random).getBytes(StandardCharsets.UTF_8);
        }
        if (contentType.startsWith("multipart/")) {
            return multipart(random, "b").getBytes(StandardCharsets.UTF_8);
        }
        if (contentType.equals("application/octet-stream")) {
            byte[] bytes = new byte[random.nextInt(5) == 0 ? random.nextInt(7) : 8 * random.nextInt(64)];
            random.nextBytes(bytes);
            return bytes;
        }
        int roll = random.nextInt(100);
        if (roll < 8) {
            return deep(random.nextInt(100, 5_000)).getBytes(StandardCharsets.UTF_8);
        }
        if (roll < 14) {
            return pick(random, List.of("", "null", "[]", "1", "\"x\"", "true", "{", "}", "{\"a\":", "\u0000", "{}{}", "{\"a\":1,\"a\":2}"))
                    .getBytes(StandardCharsets.UTF_8);
        }
        // the documented example with a node broken now and then (rarely: most such bodies pass validation and
        // reach the service's own code), or a value built from the schema
        Object value = !media.path("example").isMissingNode() && random.nextInt(100) < 40
                ? mutate(random, JSON.convertValue(media.get("example"), Object.class), random.nextBoolean() ? 1 : 6)
                : value(random, media.path("schema"), 0);
        String text = serialize(value);
        if (roll < 26 && !text.isEmpty()) {
            // broken JSON: cut short, or a character out of place
            int at = random.nextInt(text.length());
            text = random.nextBoolean() ? text.substring(0, at) : text.substring(0, at) + pick(random, List.of("\"", "}", ",", "\\", "\u0000", "\uFFFF")) + text.substring(at);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A value of a schema, valid or nearly so, each node broken now and then. */
    private Object value(SplittableRandom random, JsonNode schema, int depth) {
        schema = resolve(schema);
        if (random.nextInt(100) < 4 || depth > 8) {
            return broken(random);
        }
        JsonNode choices = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
        if (choices != null) {
            return value(random, choices.get(random.nextInt(choices.size())), depth);
        }
        if (schema.has("enum") && random.nextInt(100) < 90) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size())).asString();
        }
        String type = type(random, schema);
        switch (type) {
            case "object" -> {
                Map<String, Object> object = new LinkedHashMap<>();
                JsonNode required = schema.path("required");
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    boolean isRequired = false;
                    for (JsonNode name : required) {
                        isRequired |= name.asString().equals(property.getKey());
                    }
                    if ((isRequired && random.nextInt(100) < 95) || random.nextInt(100) < 50) {
                        object.put(property.getKey(), value(random, property.getValue(), depth + 1));
                    }
                }
                JsonNode additional = schema.path("additionalProperties");
                if (additional.isObject() || random.nextInt(100) < 5) {
                    for (int i = random.nextInt(3); i > 0; i--) {
                        object.put(pick(random, List.of("learningRate", "hiddenLayers[0].units", "x1", "x2", "unknown", "", "\u0000")),
                                additional.isObject() ? value(random, additional, depth + 1) : broken(random));
                    }
                }
                return object;
            }
            case "array" -> {
                List<Object> array = new ArrayList<>();
                int size = random.nextInt(100) < 3 && depth < 3 ? random.nextInt(50, 300) : random.nextInt(Math.min(6, schema.path("maxItems").asInt(6) + 1));
                for (int i = 0; i < size; i++) {
                    array.add(value(random, schema.path("items"), depth + 1));
                }
                return array;
            }
            case "null" -> {
                return null;
            }
            default -> {
                return typed(random, schema, type);
            }
        }
    }

    private Object typed(SplittableRandom random, JsonNode schema, String type) {
        String scalar = scalar(random, schema, type);
        return switch (type) {
            case "integer" -> Long.parseLong(scalar);
            case "number" -> Double.parseDouble(scalar);
            case "boolean" -> Boolean.parseBoolean(scalar);
            case "string", "object", "array", "null" -> scalar;
            default -> randomJson(random, 0);
        };
    }

    /** A valid-looking scalar of a schema, as text. */
    private String scalar(SplittableRandom random, JsonNode schema, String type) {
        if (schema.has("enum")) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size())).asString();
        }
        return switch (type) {
            case "integer" -> Long.toString(random.nextLong(schema.path("minimum").asLong(-2), Math.max(schema.path("minimum").asLong(-2) + 1,
                    Math.min(schema.path("maximum").asLong(50), 50) + 1)));
            case "number" -> Double.toString(random.nextInt(4) == 0 ? random.nextDouble() * 2 - 0.5 : random.nextInt(-2, 20) / 4.0);
            case "boolean" -> Boolean.toString(random.nextBoolean());
            default -> {
                if (schema.path("format").asString().equals("uuid")) {
                    yield random.nextBoolean() && !ids.isEmpty() ? pick(random, new ArrayList<>(ids.values())) : UUID.randomUUID().toString();
                }
                if (schema.has("example") && schema.get("example").isString() && random.nextBoolean()) {
                    yield schema.get("example").asString();
                }
                yield random.nextInt(3) == 0 ? pick(random, ODD_STRINGS) : "s" + random.nextInt(1000);
            }
        };
    }

    private static String type(SplittableRandom random, JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> types.add(t.asString()));
            List<String> nonNull = types.stream().filter(t -> !t.equals("null")).toList();
            return nonNull.isEmpty() || random.nextInt(100) < 3 ? "null" : pick(random, nonNull);
        }
        if (type.isString()) {
            return type.asString();
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "any";
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
            schema = document.get("components").get("schemas").get(name);
        }
        return schema;
    }

    /** Walks an example, breaking a node now and then. */
    private Object mutate(SplittableRandom random, Object value, int percent) {
        if (random.nextInt(100) < percent) {
            return broken(random);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (random.nextInt(100) >= percent) {
                    copy.put((String) k, mutate(random, v, percent));
                }
            });
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(mutate(random, v, percent)));
            if (!copy.isEmpty() && random.nextInt(100) < percent) {
                copy.remove(random.nextInt(copy.size()));
            }
            return copy;
        }
        return value;
    }

    /** A value of the wrong kind or at an edge: null, another type, huge, extreme, odd unicode, deep. */
    private static Object broken(SplittableRandom random) {
        return switch (random.nextInt(9)) {
            case 0, 1 -> null;
            case 2 -> "x".repeat(random.nextInt(100) < 5 ? 100_000 : random.nextInt(190, 3_000));
            case 3 -> MARK + "RAW:" + pick(random, RAW_NUMBERS) + MARK;
            case 4 -> pick(random, ODD_STRINGS);
            case 5 -> MARK + "RAW:" + deep(random.nextInt(2, 2_000)) + MARK;
            case 6 -> random.nextBoolean() ? List.of() : Map.of();
            case 7 -> random.nextBoolean();
            default -> randomJson(random, 0);
        };
    }

    private static Object randomJson(SplittableRandom random, int depth) {
        return switch (depth > 3 ? random.nextInt(4) : random.nextInt(6)) {
            case 0 -> random.nextInt(-5, 100);
            case 1 -> pick(random, ODD_STRINGS);
            case 2 -> null;
            case 3 -> random.nextDouble();
            case 4 -> new ArrayList<>(java.util.Arrays.asList(randomJson(random, depth + 1), randomJson(random, depth + 1)));
            default -> {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("a" + random.nextInt(3), randomJson(random, depth + 1));
                yield object;
            }
        };
    }

    private static String deep(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String serialize(Object value) {
        String text = JSON.writeValueAsString(value);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int start = text.indexOf("\"" + MARK, at);
            if (start < 0) {
                return out.append(text, at, text.length()).toString();
            }
            int end = text.indexOf(MARK + "\"", start + 2);
            String token = text.substring(start + 2, end);
            out.append(text, at, start).append(token.equals("LONE") ? "\"\\ud800\"" : token.substring("RAW:".length()));
            at = end + 2;
        }
    }

    /** CSV as uploaded: sometimes well formed, often at an edge. */
    private static String csv(SplittableRandom random) {
        return switch (random.nextInt(16)) {
            case 0 -> "";
            case 1 -> "x,y\n";
            case 2 -> "x,y\n1,2,3\n4\n";
            case 3 -> "x,y\n\"1,2\n";
            case 4 -> "\uFEFFx;y\r\n1;2\r\n3;4\r\n";
            case 5 -> "x,x\n1,2\n3,4\n";
            case 6 -> ",\n1,2\n";
            case 7 -> "x,y\n1,a\u0000b\n3,4\n";
            case 8 -> "x,y\n" + "9".repeat(20_000) + ",1\n2,3\n";
            case 9 -> "x,y\nNaN,1\nInfinity,2\n-Infinity,3\n1e999,4\n";
            case 10 -> "\"x\"\"\",\"y\n\"\n1,2\n";
            case 11 -> "x\ty|z\n1\t2|3\n";
            case 12 -> "é,😀\n1,2\n2,3\n";
            case 13 -> ("c" + random.nextInt(10) + ",").repeat(random.nextInt(1, 1_500)) + "y\n1\n";
            case 14 -> "x,y\n" + "1,2\n".repeat(random.nextInt(1, 3_000));
            default -> "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";
        };
    }

    /** A multipart body, whole or broken: no closing boundary, a part without a file name, odd file names. */
    private static String multipart(SplittableRandom random, String boundary) {
        String filename = pick(random, List.of("x.csv", "f".repeat(300) + ".csv", "../../etc/passwd", "a\u0000b.csv", "é.csv", "", "a\"b.csv"));
        String name = random.nextInt(10) == 0 ? "other" : "file";
        String disposition = random.nextInt(10) == 0 ? "form-data; name=\"" + name + "\""
                : "form-data; name=\"" + name + "\"; filename=\"" + filename + "\"";
        String part = "--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\nContent-Type: text/csv\r\n\r\n"
                + csv(random).replace("\n", "\r\n");
        return switch (random.nextInt(6)) {
            case 0 -> part;
            case 1 -> part + "\r\n--other--\r\n";
            case 2 -> "--" + boundary + "--\r\n";
            default -> part + "\r\n--" + boundary + "--\r\n";
        };
    }

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
