package dev.backprop.ui;

import dev.backprop.support.HttpEndToEndTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A test class of the dashboard against the running application, with one browser for all its tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserEndToEndTest extends HttpEndToEndTest {

    protected Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = Browser.startOrSkip(port);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }
}
