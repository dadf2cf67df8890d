import { afterAll, describe, expect, it } from 'vitest';
import { createKyso } from '@kyso/core/worker';
import { Pkcs12Adapter } from '@kyso/adapters';
import { fixture } from './fixtures.js';
import { fromBase64, nodeSide } from './node-side.js';

/**
 * Issue 5 §5: the browser path (Chromium, worker client, WebCrypto and the
 * portable hash engine, the font fetched by the worker) and the Node path
 * (core called directly, node:crypto, the font read from disk) write the same
 * bytes for the same input, key, options and frozen clock; poppler accepts them.
 */
describe('browser (worker) and Node give byte-identical signatures', () => {
  const kyso = createKyso();
  afterAll(() => kyso.terminate());

  // JSON-safe so the same object goes to the Node side; RSA PKCS#1 v1.5 (the leader's key) is deterministic.
  const cases = {
    'an invisible approval': { signingTime: '2026-11-20T03:04:05Z', reason: 'Phê duyệt', location: 'Đà Nẵng' },
    'a visible Decree 30 approval with the default font': {
      signingTime: '2026-11-20T03:04:05Z',
      appearance: { role: 'approve', showText: true, organization: 'Ủy ban nhân dân thành phố Đà Nẵng' },
      placement: { page: 1, rect: [330, 120, 200, 80] },
    },
  } as const;

  for (const [name, options] of Object.entries(cases)) {
    it(`${name}: same bytes, and pdfsig finds the signature valid`, async () => {
      const pdf = await fixture('samples/vietnamese.pdf');
      const adapter = await Pkcs12Adapter.open(await fixture('pki/leader.p12'), 'kyso-test');
      const { signingTime, ...rest } = options;
      const inBrowser = await kyso.sign(pdf, { ...(rest as object), signingTime: new Date(signingTime), adapter });

      const node = await nodeSide.signInNode({ pdf: 'samples/vietnamese.pdf', p12: 'pki/leader.p12', options });
      const inNode = fromBase64(node.pdf);
      expect(inBrowser.length).toBe(inNode.length);
      expect(firstDifference(inBrowser, inNode)).toBe(-1);
      expect(node.pdfsig).toMatch(/Signature Validation: Signature is Valid\./);
      expect(node.pdfsig).toMatch(/Total document signed/);
    });
  }
});

/** Index of the first differing byte, -1 when equal (a readable failure instead of a 100 KB diff). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
