/**
 * @packageDocumentation
 * `@kyso/core/worker`: kyso's core in a module Web Worker (comlink), for pages.
 * See {@link createKyso}.
 */
export { createKyso } from './client.js';
export type { KysoClient, CallOptions, CreateKysoOptions, VerifiedDocument } from './types.js';
export type { WorkerLike, MessageEventLike } from './web-types.js';
export type { Progress, ProgressListener } from '../progress.js';
