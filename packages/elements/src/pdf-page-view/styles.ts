import { css } from 'lit';

/** Styles of `<pdf-page-view>` (adopted stylesheets: no inline styles, fine under `style-src 'self'`). */
export const pageViewStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 12rem;
    height: var(--kyso-page-view-height, 32rem);
    font-family: var(--kyso-font, system-ui, sans-serif);
    font-size: 0.875rem;
    color: var(--kyso-text, #1f2328);
    border: 1px solid var(--kyso-border, #8c959f);
    border-radius: var(--kyso-radius, 6px);
    overflow: hidden;
  }
  .toolbar {
    display: flex;
    align-items: center;
    gap: 0.25rem;
    padding: 0.25rem 0.5rem;
    border-bottom: 1px solid var(--kyso-border, #8c959f);
    background: var(--kyso-surface, #f6f8fa);
  }
  .toolbar .spacer {
    flex: 1;
  }
  button {
    font: inherit;
    min-width: 2rem;
    min-height: 2rem;
    border: 1px solid var(--kyso-border, #8c959f);
    border-radius: var(--kyso-radius, 6px);
    background: var(--kyso-button-bg, #fff);
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.5;
  }
  button:focus-visible,
  .viewport:focus-visible {
    outline: 2px solid var(--kyso-accent, #0b5cad);
    outline-offset: 2px;
  }
  .viewport {
    flex: 1;
    overflow: auto;
    background: var(--kyso-page-view-background, #e6e8eb);
    padding: 0.75rem;
    position: relative;
  }
  .pages {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.75rem;
    min-width: min-content;
  }
  .page {
    position: relative;
    background: #fff;
    box-shadow: 0 1px 3px rgb(0 0 0 / 30%);
    flex: none;
  }
  .page canvas {
    display: block;
    width: 100%;
    height: 100%;
  }
  .overlay {
    position: absolute;
    box-sizing: border-box;
    border: 2px solid var(--kyso-overlay-color, #d1242f);
    background: var(--kyso-overlay-fill, rgb(209 36 47 / 12%));
    pointer-events: none;
  }
  .status {
    padding: 1rem;
  }
  .error {
    color: var(--kyso-danger, #b42318);
  }
`;
