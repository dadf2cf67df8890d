/**
 * The `<sign-document>` bundle as a vendor's page gets it (scripts/bench-browser.mjs
 * measures the gzip size of everything this entry pulls in, pdf.js included).
 */
import '@kyso/elements/sign-document';
