/**
 * The one part of @noble/ciphers kyso uses, AES-CBC (ISO 32000-2 §7.6.3.2), named statically so that a bundler keeps
 * only it and what it needs. pdf/encryption/aes.ts reaches this module through import(), on first need
 * (docs/decisions/0036-lazy-aes-library.md); a namespace reached through import() keeps every mode of the library
 * (GCM, SIV, key wrap…) once a bundler inlines it, as Vite's default worker format does.
 */
export { cbc } from '@noble/ciphers/aes.js';
