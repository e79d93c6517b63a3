// Every script error of the page is kept here (and shown): the browser tests read it back, so a page that
// throws fails them instead of passing unseen. A file of its own, loaded before the modules: the pages' content
// security policy runs no inline script.
window.backpropErrors = [];
window.addEventListener('error', e => window.backpropErrors.push(String(e.message || e)));
window.addEventListener('unhandledrejection', e => window.backpropErrors.push(String((e.reason && e.reason.stack) || e.reason)));
