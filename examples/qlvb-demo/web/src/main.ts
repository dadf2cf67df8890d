// Entry of the QLVB demo page. No inline script: this module is a same-origin file (CSP script-src 'self').
import './app.js';
