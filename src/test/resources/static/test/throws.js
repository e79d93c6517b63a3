// Thrown on purpose by DashboardBrowserTest: a page error the test must catch.
setTimeout(() => { throw new Error('deliberate'); }, 0);
