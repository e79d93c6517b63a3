package dev.backprop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.support.TestProperties;
import jakarta.servlet.FilterChain;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cap on large bodies counts bodies being read, not requests being answered: a predict whose 400 KB body is
 * in hand no longer holds a slot while its answer is computed (before, 32 wrk connections of 64-row predicts got
 * hundreds of 503s from a cap of 8 while every body had arrived).
 */
class RequestBodyLimitsFilterTest {

    private final RequestBodyLimitsFilter filter = new RequestBodyLimitsFilter(
            TestProperties.with(Map.of("backprop.limits.max-concurrent-uploads", "1")), JsonMapper.builder().build());

    private static MockHttpServletRequest large() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/models/m/predict");
        request.setContent(new byte[100_000]);
        request.setContentType("application/octet-stream");
        return request;
    }

    @Test
    void aBodyReadToItsLengthFreesItsSlotWhileItsRequestIsStillAnswered() throws Exception {
        MockHttpServletResponse second = new MockHttpServletResponse();
        filter.doFilter(large(), new MockHttpServletResponse(), (request, response) -> {
            request.getInputStream().readNBytes(100_000);  // as Jackson reads: the declared length, not up to EOF
            filter.doFilter(large(), second, (r, s) -> r.getInputStream().readAllBytes());
        });
        assertThat(second.getStatus()).as(second.getContentAsString()).isEqualTo(200);
    }

    @Test
    void aBodyStillBeingReadHoldsItsSlot() throws Exception {
        MockHttpServletResponse second = new MockHttpServletResponse();
        FilterChain reads = (r, s) -> r.getInputStream().readAllBytes();
        filter.doFilter(large(), new MockHttpServletResponse(), (request, response) -> {
            request.getInputStream().readNBytes(1_000);
            filter.doFilter(large(), second, reads);
        });
        assertThat(second.getStatus()).isEqualTo(503);
        MockHttpServletResponse after = new MockHttpServletResponse();
        filter.doFilter(large(), after, reads);
        assertThat(after.getStatus()).isEqualTo(200);
    }
}
