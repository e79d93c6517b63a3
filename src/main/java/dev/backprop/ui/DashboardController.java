package dev.backprop.ui;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard's linkable addresses: each answers the one page shell, whose script reads the address and
 * draws the page from the REST API, so a job, model or data set page can be bookmarked and shared.
 */
@Controller
@Hidden
class DashboardController {

    private static final Resource SHELL = new ClassPathResource("static/ui/index.html");

    @GetMapping(path = {"/", "/ui", "/ui/", "/ui/jobs", "/ui/jobs/{id}", "/ui/models", "/ui/models/{id}",
            "/ui/datasets", "/ui/datasets/{id}"}, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<Resource> page() {
        // The shell is tiny and names its scripts by path: revalidating it keeps every tab on the deployed version.
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).contentType(MediaType.TEXT_HTML).body(SHELL);
    }
}
