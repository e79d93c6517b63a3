package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.HttpEndToEndTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A client that sends a body over the limit reads the 413 problem, even when it reads only after sending all of it.
 * The server answers at once and then keeps reading what the client still sends for a while before it closes. Before,
 * it closed straight after answering, and a client still writing hit a reset connection and never saw the answer:
 * Java's HttpClient failed 2 of 300 such requests, from two threads, with "header parser received no bytes".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "backprop.limits.max-request-bytes=1048576")
class OversizedBodyEndToEndTest extends HttpEndToEndTest {

    /** 32 times the limit: past the loopback's socket buffers and Tomcat's 2 MB swallow, so the client is still writing when refused. */
    private static final int BODY_BYTES = 32 << 20;

    @Test
    void aClientThatReadsOnlyAfterSendingItsWholeDeclaredBodyStillGetsThe413() throws IOException {
        String head = "POST /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + BODY_BYTES + "\r\n\r\n";
        assertThat(answerAfterSending(head, false)).startsWith("HTTP/1.1 413").contains("/payload-too-large");
    }

    @Test
    void aChunkedBodyPastTheLimitIsAnswered413ToAClientThatReadsOnlyAfterSendingIt() throws IOException {
        String head = "POST /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";
        assertThat(answerAfterSending(head, true)).startsWith("HTTP/1.1 413").contains("/payload-too-large");
    }

    /** Sends the head and {@link #BODY_BYTES} of body in 64 KB pieces (chunks if asked), then reads the answer. */
    private String answerAfterSending(String head, boolean chunked) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] piece = new byte[65_536];
            Arrays.fill(piece, (byte) ' ');
            try {
                for (int sent = 0; sent < BODY_BYTES; sent += piece.length) {
                    if (chunked) {
                        out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(piece);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException e) {
                throw new AssertionError("the server closed the connection while the body was still being sent, "
                        + "before the client could read its answer", e);
            }
            return readAnswer(socket.getInputStream());
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8_192];
        // up to the end of the stream (the server closes after a 413) or, kept alive, past the problem or its last chunk
        for (int n; (n = in.read(buffer)) > 0; ) {
            answer.write(buffer, 0, n);
            String text = answer.toString(StandardCharsets.UTF_8);
            if (text.trim().endsWith("}") || text.endsWith("\r\n0\r\n\r\n")) {
                break;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
