/**
 * The module Web Worker: core's staged API exposed through comlink. Loaded
 * by {@link createKyso} (`new Worker(new URL('./entry.js', import.meta.url), { type: 'module' })`).
 */
import { expose, transfer } from 'comlink';
import { createWorkerApi } from './api.js';

expose(createWorkerApi((outcome, buffers) => (buffers.length ? transfer(outcome, buffers) : outcome)));
