import { css } from 'lit';

/** Shared look of the demo's views (adopted style sheets: allowed by CSP style-src 'self'). */
export const shared = css`
  :host { display: block; --kyso-accent: #1f5fbf; }
  h1, h2, h3 { font-weight: 600; margin: 0 0 0.6rem; }
  h2 { font-size: 1.2rem; }
  h3 { font-size: 1.05rem; }
  p.help { color: #4a5568; margin: 0 0 0.8rem; max-width: 60rem; }
  button, .button {
    font: inherit; padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid #1f5fbf;
    background: #1f5fbf; color: white; cursor: pointer; text-decoration: none; display: inline-block;
  }
  button.secondary { background: white; color: #1f5fbf; }
  button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; background: white; }
  th, td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid #dde3ec; vertical-align: top; }
  th { background: #eef2f8; font-weight: 600; }
  .card { background: white; border: 1px solid #dde3ec; border-radius: 8px; padding: 1rem; margin: 0 0 1rem; }
  .status { margin: 0.6rem 0; }
  .error { color: #a4161a; }
  .state { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 999px; background: #eef2f8; font-size: 0.9em; }
  .state[data-state='published'] { background: #d8f3dc; }
  label { display: inline-flex; flex-direction: column; gap: 0.2rem; margin-right: 1rem; }
  input { font: inherit; padding: 0.3rem 0.4rem; }
`;
