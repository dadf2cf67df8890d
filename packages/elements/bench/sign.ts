/**
 * The `<sign-document>` bundle as a vendor's page gets it (scripts/bench-browser.mjs
 * measures the gzip size of everything this entry pulls in, pdf.js included, and
 * what the main thread has loaded when the draft below is drawn).
 */
import '@kyso/elements/sign-document';

const sign = document.createElement('sign-document');
sign.src = '/samples/simple.pdf';
document.body.append(sign);
