import { css } from 'lit';

/** Styles of `<sign-document>` (adopted stylesheets: nothing that needs `style-src 'unsafe-inline'`). */
export const signDocumentStyles = css`
  :host {
    display: block;
    font-family: var(--kyso-font, system-ui, sans-serif);
    color: var(--kyso-text, #1f2328);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    align-items: center;
    padding-bottom: 0.5rem;
  }
  .toolbar label {
    display: flex;
    gap: 0.4rem;
    align-items: center;
  }
  select,
  button {
    font: inherit;
  }
  .sign {
    background: var(--kyso-accent, #0b5cad);
    color: var(--kyso-on-accent, #fff);
    border: none;
    border-radius: var(--kyso-radius, 6px);
    padding: 0.4rem 1.2rem;
    cursor: pointer;
  }
  .sign[aria-disabled='true'] {
    opacity: 0.7;
    cursor: progress;
  }
  :is(.sign, .position, select, button):focus-visible {
    outline: 2px solid var(--kyso-accent, #0b5cad);
    outline-offset: 2px;
  }
  .body {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(14rem, 20rem);
    gap: 0.75rem;
  }
  @media (max-width: 40rem) {
    .body {
      grid-template-columns: 1fr;
    }
  }
  pdf-page-view {
    --kyso-page-view-height: var(--kyso-sign-document-height, 32rem);
  }
  pdf-page-view::part(page) {
    cursor: crosshair;
    touch-action: none;
  }
  pdf-page-view::part(overlay-signature) {
    border: 2px dashed var(--kyso-accent, #0b5cad);
    background: color-mix(in srgb, var(--kyso-accent, #0b5cad) 12%, transparent);
    cursor: move;
  }
  .side {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    font-size: 0.875rem;
  }
  .label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.25rem;
  }
  .position {
    border: 1px dashed var(--kyso-border, #8c959f);
    border-radius: var(--kyso-radius, 6px);
    padding: 0.4rem 0.6rem;
    cursor: pointer;
  }
  .position.placed {
    border-style: solid;
    border-color: var(--kyso-accent, #0b5cad);
  }
  .hint {
    margin: 0.25rem 0 0;
    color: var(--kyso-muted, #57606a);
  }
  .link {
    background: none;
    border: none;
    padding: 0;
    color: var(--kyso-accent, #0b5cad);
    text-decoration: underline;
    cursor: pointer;
  }
  .preview {
    margin: 0;
    border: 1px solid var(--kyso-border, #8c959f);
    border-radius: var(--kyso-radius, 6px);
    padding: 0.5rem;
  }
  .preview figcaption {
    font-weight: 600;
    margin-bottom: 0.25rem;
  }
  .appearance {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    font-size: 0.75rem;
  }
  .role-approve .lines,
  .signature-image {
    color: var(--kyso-signature-color, #1f3fbf);
  }
  .seal {
    flex: none;
    width: 4.5rem;
    height: 4.5rem;
    border: 2px solid var(--kyso-seal-color, #d0021b);
    border-radius: 50%;
    color: var(--kyso-seal-color, #d0021b);
    display: grid;
    place-items: center;
    text-align: center;
    font-size: 0.65rem;
  }
  .status {
    margin: 0;
  }
  .status.ok {
    color: var(--kyso-ok, #1a7f37);
  }
  .error {
    color: var(--kyso-danger, #b42318);
  }
  .confirming p {
    margin: 0 0 0.4rem;
  }
  .confirm-title {
    font-weight: 600;
  }
  [part='countdown'] {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .cancel {
    border: 1px solid var(--kyso-border, #d0d7de);
    border-radius: var(--kyso-radius, 6px);
    background: transparent;
    padding: 0.3rem 0.9rem;
    cursor: pointer;
  }
  progress {
    display: block;
    width: 100%;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
