/**
 * A page built by Vite and served under a strict Content-Security-Policy
 * (packages/core/test/worker-csp.test.ts): it signs a visible signature and
 * verifies it through the worker client, then writes the outcome into
 * `#result`. Fixtures come from the same origin (`/fixtures/...`).
 */
import { createKyso } from '@kyso/core/worker';
import { Pkcs12Adapter } from '@kyso/adapters';

const output = document.getElementById('result')!;
const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));

async function get(path: string): Promise<Uint8Array> {
  const response = await fetch(`/fixtures/${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function main(): Promise<void> {
  const kyso = createKyso();
  const adapter = await Pkcs12Adapter.open(await get('pki/leader.p12'), 'kyso-test');
  const signed = await kyso.sign(await get('samples/simple.pdf'), {
    adapter,
    appearance: { role: 'approve', showText: true },
    placement: { page: 1, rect: [330, 120, 200, 80] },
  });
  const report = await kyso.verify(signed, { trust: [await get('pki/root.cert.der')] });
  const s = report.signatures[0]!;
  output.textContent = JSON.stringify({ indication: s.indication, integrity: s.integrity, cryptoValid: s.cryptoValid, signer: s.signer.commonName, violations });
  kyso.terminate();
}

main().catch((e: unknown) => {
  output.textContent = JSON.stringify({ error: String(e), code: (e as { code?: string }).code ?? null, violations });
});
