import { css } from 'lit';

/** Styles of `<certificate-picker>` (adopted stylesheets: no inline styles, fine under `style-src 'self'`). */
export const pickerStyles = css`
  :host {
    display: block;
    font-family: var(--kyso-font, system-ui, sans-serif);
    font-size: 0.875rem;
    color: var(--kyso-text, #1f2328);
  }
  .list {
    display: flex;
    flex-direction: column;
    gap: 2px;
    max-height: var(--kyso-picker-max-height, 16rem);
    overflow: auto;
    border: 1px solid var(--kyso-border, #8c959f);
    border-radius: var(--kyso-radius, 6px);
    padding: 2px;
  }
  .list:focus-visible {
    outline: 2px solid var(--kyso-accent, #0b5cad);
    outline-offset: 2px;
  }
  .option {
    padding: 0.4rem 0.6rem;
    border-radius: var(--kyso-radius, 6px);
    border: 2px solid transparent;
    cursor: pointer;
  }
  .option.active {
    border-color: var(--kyso-border, #8c959f);
  }
  .list:focus-visible .option.active {
    border-color: var(--kyso-accent, #0b5cad);
  }
  .option[aria-selected='true'] {
    background: var(--kyso-selected-bg, #ddeeff);
  }
  .title {
    font-weight: 600;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    column-gap: 1rem;
    color: var(--kyso-muted, #57606a);
    font-size: 0.8rem;
  }
  .warning {
    color: var(--kyso-warning, #8a4600);
    font-size: 0.8rem;
  }
  .status {
    margin: 0;
    padding: 0.4rem 0;
  }
  .error {
    color: var(--kyso-danger, #b42318);
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
`;
