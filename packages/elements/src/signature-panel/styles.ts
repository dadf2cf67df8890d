import { css } from 'lit';

/** Styles of `<signature-panel>` (adopted stylesheets: no inline styles, fine under `style-src 'self'`). */
export const panelStyles = css`
  :host {
    display: block;
    font-family: var(--kyso-font, system-ui, sans-serif);
    font-size: 0.875rem;
    color: var(--kyso-text, #1f2328);
  }
  header {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    flex-wrap: wrap;
  }
  h2 {
    font-size: 1.05rem;
    margin: 0;
  }
  h3 {
    font-size: 0.95rem;
    margin: 0 0 0.4rem;
  }
  ol.signatures {
    list-style: none;
    padding: 0;
    margin: 0.75rem 0;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
  }
  .signature {
    border: 1px solid var(--kyso-border, #8c959f);
    border-left-width: 6px;
    border-radius: var(--kyso-radius, 6px);
    padding: 0.5rem 0.75rem;
  }
  .signature.state-valid,
  .signature.state-valid-changes {
    border-left-color: var(--kyso-valid-fg, #116329);
  }
  .signature.state-modified,
  .signature.state-expired {
    border-left-color: var(--kyso-warning-fg, #7d4e00);
  }
  .signature.state-invalid,
  .signature.state-revoked {
    border-left-color: var(--kyso-danger-fg, #a40e26);
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.15rem 0.75rem;
    margin: 0;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  dd ol,
  dd ul {
    margin: 0;
    padding-left: 1.1rem;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    margin-top: 0.5rem;
    flex-wrap: wrap;
  }
  button {
    font: inherit;
    padding: 0.25rem 0.6rem;
    border: 1px solid var(--kyso-border, #8c959f);
    border-radius: var(--kyso-radius, 6px);
    background: var(--kyso-button-bg, #fff);
    color: inherit;
    cursor: pointer;
  }
  button[aria-pressed='true'] {
    background: var(--kyso-selected-bg, #ddf4ff);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--kyso-accent, #0b5cad);
    outline-offset: 2px;
  }
  textarea {
    width: 100%;
    min-height: 8rem;
    font-family: ui-monospace, monospace;
    font-size: 0.75rem;
  }
  .viewer-status {
    margin: 0.5rem 0;
  }
  pdf-page-view {
    --kyso-overlay-color: var(--kyso-changed-color, #d1242f);
  }
`;
