// The option and batch checks the CSC and remote-signing adapters and the services' clients share
// (src/internal/options.ts): a bad URL or a mixed batch is refused before any request leaves, naming what is wrong.
import { describe, expect, it } from 'vitest';
import type { SignRequest } from '@kyso/core';
import {
  CscAdapter, MySignClient, RemoteSigningAdapter, RemoteSigningBackend, RsspClient, vnptSmartCaClient,
  type CscAdapterOptions, type RemoteSigningService,
} from '../src/index.js';

const invalid = (detail: string) => expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', detail });
/** A service that must never be called: every check here happens first. */
const unused = new Proxy({}, { get: () => () => { throw new Error('the service was called'); } }) as unknown as RemoteSigningService;
const csc = (baseUrl: string) => new CscAdapter({ baseUrl, auth: { type: 'basic', username: 'u', password: 'p' } } as CscAdapterOptions);

describe('URL options', () => {
  it.each([
    { name: 'RemoteSigningAdapter endpoint', make: (u: string) => new RemoteSigningAdapter({ endpoint: u }), option: 'endpoint' },
    { name: 'RemoteSigningBackend callbackBaseUrl', make: (u: string) => new RemoteSigningBackend({ service: unused, callbackBaseUrl: u }), option: 'callbackBaseUrl' },
    { name: 'CscAdapter baseUrl', make: csc, option: 'baseUrl' },
  ])('$name: a relative URL and a non-http(s) scheme are refused', ({ make, option }) => {
    expect(() => make('/api/kyso-remote')).toThrow(invalid(`options.${option} is not an absolute URL`));
    expect(() => make('javascript:alert(1)')).toThrow(invalid(`options.${option} must be http(s)`));
    expect(() => make('https://qlvb.example/api')).not.toThrow();
  });

  it.each([
    { name: 'RsspClient', make: (u: string) => new RsspClient({ baseUrl: u, relyingParty: 'a', relyingPartyUser: 'b', relyingPartyPassword: 'c', relyingPartySignature: 'd' } as never) },
    { name: 'VNPT SmartCA client', make: (u: string) => vnptSmartCaClient({ baseUrl: u, spId: 'a', spPassword: 'b' }) },
    { name: 'MySignClient', make: (u: string) => new MySignClient({ baseUrl: u, clientId: 'a', clientSecret: 'b' }) },
  ])('$name: a base URL that is not absolute is refused', ({ make }) => {
    expect(() => make('rssp/v2')).toThrow(invalid('options.baseUrl is not an absolute URL'));
  });
});

describe('batches', () => {
  const request = (certificateId: string, scheme: SignRequest['algorithm']['scheme'] = 'RSASSA-PKCS1-v1_5'): SignRequest => ({
    certificateId, algorithm: { scheme, hash: 'SHA-256' }, data: new Uint8Array(1), digest: new Uint8Array(32),
  });
  it.each([
    { name: 'RemoteSigningAdapter', adapter: () => new RemoteSigningAdapter({ endpoint: 'http://127.0.0.1:9/api', fetch: () => { throw new Error('fetched'); } }) },
    { name: 'CscAdapter', adapter: () => csc('http://127.0.0.1:9/csc/v2') },
  ])('$name: an empty batch, or one that mixes certificates or schemes, is refused before any request', async ({ adapter }) => {
    const a = adapter();
    await expect(a.signBatch([])).rejects.toThrow(invalid('signBatch needs at least one request'));
    await expect(a.signBatch([request('a'), request('b')])).rejects.toThrow(invalid('requests[1].certificateId differs from the first'));
    await expect(a.signBatch([request('a'), request('a'), request('a', 'RSA-PSS')])).rejects.toThrow(invalid('requests[2].algorithm differs from the first'));
  });
});
