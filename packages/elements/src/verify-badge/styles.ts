import { css } from 'lit';

/** Styles of `<verify-badge>` (adopted stylesheets: no inline styles, fine under `style-src 'self'`). */
export const badgeStyles = css`
  :host {
    display: inline-block;
    font-family: var(--kyso-font, system-ui, sans-serif);
    font-size: 0.875rem;
    line-height: 1.35;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.35rem 0.6rem;
    border: 1px solid currentColor;
    border-radius: var(--kyso-radius, 6px);
  }
  .state-valid,
  .state-valid-changes {
    color: var(--kyso-valid-fg, #116329);
    background: var(--kyso-valid-bg, #dafbe1);
  }
  .state-modified,
  .state-expired {
    color: var(--kyso-warning-fg, #7d4e00);
    background: var(--kyso-warning-bg, #fff8c5);
  }
  .state-invalid,
  .state-revoked {
    color: var(--kyso-danger-fg, #a40e26);
    background: var(--kyso-danger-bg, #ffebe9);
  }
  .state-unknown,
  .state-unsigned,
  .state-loading,
  .state-error {
    color: var(--kyso-neutral-fg, #3b434b);
    background: var(--kyso-neutral-bg, #f6f8fa);
  }
  .icon {
    font-weight: bold;
    font-size: 1.1em;
  }
  .text {
    display: flex;
    flex-direction: column;
  }
  .signer {
    font-size: 0.8125rem;
  }
  progress {
    width: 5rem;
  }
  button {
    font: inherit;
    padding: 0.2rem 0.6rem;
    border: 1px solid currentColor;
    border-radius: var(--kyso-radius, 6px);
    background: #fff;
    color: #1f2328;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid var(--kyso-accent, #0b5cad);
    outline-offset: 2px;
  }
  dialog {
    max-width: min(60rem, 95vw);
    width: 100%;
    color: #1f2328;
    background: #fff;
    border: 1px solid #8c959f;
    border-radius: var(--kyso-radius, 6px);
  }
  dialog h2 {
    font-size: 1.1rem;
    margin: 0 0 0.5rem;
  }
  .summary {
    padding: 0.5rem;
    border-radius: var(--kyso-radius, 6px);
  }
  .signatures {
    padding-left: 1.25rem;
  }
  .signatures li {
    margin: 0.4rem 0;
    padding: 0.4rem;
    border-radius: var(--kyso-radius, 6px);
  }
  .close {
    margin-top: 0.75rem;
  }
`;
