import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress, publicNetworkFetch } from '../src/index.js';

/** An internal endpoint a hostile document would like the service to reach (think cloud metadata). */
let internal: Server;
let port = 0;
let hits = 0;

beforeAll(async () => {
  internal = createServer((_req, res) => {
    hits++;
    res.end('internal secret');
  });
  await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
  port = (internal.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((r) => internal.close(r));
});

describe('the network the service gives verify for URLs found in documents', () => {
  it('tells private and reserved addresses from public ones', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not an ip']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '203.162.4.191', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('refuses a document\'s URL that points inside: by address, by a name resolving inside, by another scheme', async () => {
    const guarded = publicNetworkFetch();
    for (const url of [`http://127.0.0.1:${port}/latest/meta-data`, `http://localhost:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`, 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_FLUSHALL']) {
      await expect(guarded(url), url).rejects.toThrow(/refused/);
    }
    expect(hits).toBe(0);
  });

  it('reaches an internal host the operator allowed (an internal CRL mirror), with the fetch answer core expects', async () => {
    const allowed = publicNetworkFetch({ allowHosts: ['127.0.0.1'] });
    const res = await allowed(`http://127.0.0.1:${port}/crl`, { method: 'GET', headers: { Accept: 'application/pkix-crl' } });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Length')).toBe('15');
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe('internal secret');
    expect(hits).toBe(1);
  });
});
