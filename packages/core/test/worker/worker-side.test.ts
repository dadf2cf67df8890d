import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Progress } from '@kyso/core';
import { ensureLargeSample, ensurePki } from '@kyso/testkit';
import { createWorkerApi } from '../../src/worker/api.js';
import { throttleProgress } from '../../src/worker/throttle.js';
import { callerFetch, workerFetch } from '../../src/worker/wire-fetch.js';
import type { CallerSide } from '../../src/worker/protocol.js';

// The worker's side of the client, run in Node without a worker: what the
// browser tests cannot observe from the page (the worker really stops).

describe('throttleProgress', () => {
  it('turns 1600 chunk reports of a 100 MB hash into at most 51 calls, in order, ending at the total', () => {
    const seen: Progress[] = [];
    const report = throttleProgress((p) => seen.push(p));
    const total = 100 * 1024 * 1024;
    for (let done = 0; done <= total; done += 64 * 1024) report({ phase: 'hash', done, total });
    expect(seen.length).toBeLessThanOrEqual(51);
    expect(seen[0]).toEqual({ phase: 'hash', done: 0, total });
    expect(seen.at(-1)).toEqual({ phase: 'hash', done: total, total });
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('passes the first report of each new phase and ignores a throwing listener', () => {
    const phases: string[] = [];
    const report = throttleProgress((p) => {
      phases.push(p.phase);
      throw new Error('a page bug');
    });
    report({ phase: 'hash', done: 0, total: 10 });
    report({ phase: 'sign', done: 0, total: 1 });
    expect(phases).toEqual(['hash', 'sign']);
  });
});

describe('createWorkerApi: abort by call id', () => {
  it('stops hashing a 20 MB document when the client aborts the call, and settles with ERR_ABORTED', async () => {
    const pki = await ensurePki();
    const pdf = new Uint8Array(readFileSync(await ensureLargeSample(20_000_000)));
    const api = createWorkerApi({ transferResult: (outcome) => outcome, release: () => undefined });
    const seen: Progress[] = [];
    const caller = {
      progress(p: Progress) {
        seen.push(p);
        if (p.phase === 'hash' && p.done > 0) api.abort(7);
      },
    } as unknown as CallerSide;
    const outcome = await api.prepare(7, pdf, { certificate: pki.entity('leader').certDer }, { fetch: false, progress: true }, caller);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'ERR_ABORTED' } });
    const hashed = seen.filter((p) => p.phase === 'hash');
    expect(hashed.at(-1)!.done).toBeLessThan(hashed.at(-1)!.total);
  }, 60_000);
});

describe('fetch across the boundary', () => {
  it('a time-out in the worker (core\'s signal) aborts the request on the caller\'s side', async () => {
    let callerSignal: AbortSignal | undefined;
    const hanging = (_url: string, init?: { signal?: AbortSignal }) => {
      callerSignal = init?.signal;
      return new Promise<never>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    };
    const fetchInWorker = workerFetch(callerFetch({ fetch: hanging }, undefined));
    const controller = new AbortController();
    const request = fetchInWorker('http://127.0.0.1:9/tsa', { method: 'POST', signal: controller.signal });
    controller.abort(new Error('time-out'));
    await expect(request).rejects.toThrow('time-out');
    expect(callerSignal?.aborted).toBe(true);
  });

  it('rebuilds status, headers and body from plain data', async () => {
    const body = new Uint8Array([1, 2, 3]);
    const real = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/timestamp-reply' } });
    const response = await workerFetch(callerFetch({ fetch: real }, undefined))('http://127.0.0.1:9/tsa');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/timestamp-reply');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(body);
  });
});
