/**
 * kyso's custom elements. Importing this module defines every element; import
 * `@kyso/elements/<name>` to define one (e.g. only `<verify-badge>` on a portal page).
 *
 * @packageDocumentation
 */
export { defaultKysoClient, setDefaultKysoClient } from './shared/client.js';
export { resolveLang, type Lang } from './shared/locale.js';
