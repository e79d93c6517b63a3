package dev.backprop.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket to 127.0.0.1, one connection per request: the request target, method and headers go
 * out exactly as given, which Java's client refuses for some (a {@code %zz} in a path, a TRACE with a body).
 */
public final class RawHttp {

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** A request line and nothing else. */
    public Http.Response send(String requestLine) {
        return send(requestLine, Map.of(), null);
    }

    /**
     * Sends {@code requestLine} (e.g. {@code GET /x HTTP/1.1}) with the headers and a body (null: none). An event
     * stream is answered with its head only: it would not end.
     */
    public Http.Response send(String requestLine, Map<String, String> headers, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // a server may answer (405, 413) before the body is in and close: the answer is still there to read
                socket.shutdownOutput();
            }
            return read(new BufferedInputStream(socket.getInputStream()), requestLine.startsWith("HEAD "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Http.Response read(InputStream in, boolean headOnly) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 1) {
                // the head itself in the failure: a malformed answer is the server's bug, and this is its evidence
                throw new IllegalArgumentException("a header line without a name in the response head: " + head);
            }
            headers.computeIfAbsent(lines[i].substring(0, colon), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
        }
        HttpHeaders httpHeaders = HttpHeaders.of(headers, (a, b) -> true);
        String type = httpHeaders.firstValue("Content-Type").orElse("");
        if (headOnly || type.startsWith("text/event-stream")) {
            return new Http.Response(status, httpHeaders, "");
        }
        byte[] body = in.readAllBytes();
        if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
            body = unchunk(body);
        }
        return new Http.Response(status, httpHeaders, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before the end of the response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    /** Chunk sizes count bytes, so the body is taken apart before it is decoded. */
    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int line = at;
            while (chunked[line] != '\r') {
                line++;
            }
            String size = new String(chunked, at, line - at, StandardCharsets.ISO_8859_1).strip();
            int length = Integer.parseInt(size.contains(";") ? size.substring(0, size.indexOf(';')) : size, 16);
            if (length == 0) {
                return body.toByteArray();
            }
            body.write(chunked, line + 2, length);
            at = line + 2 + length + 2;
        }
    }
}
