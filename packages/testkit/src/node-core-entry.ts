/**
 * What the `signInNode` browser command loads through Vite from the
 * TypeScript sources (one module graph, so `@kyso/core/node`'s default font
 * is wired into the same core instance that signs).
 */
import '@kyso/core/node';
export { sign } from '@kyso/core';
export { Pkcs12Adapter } from '@kyso/adapters';
