/**
 * A page built by Vite and served under a strict Content-Security-Policy
 * (packages/elements/test/elements-csp.test.ts). It mounts every element the
 * way a portal or a QLVB app would, from the published entry points, with
 * same-origin fixtures (`/fixtures/...`); the Node test drives them with real
 * clicks and reads what happened from `#result` (a JSON record of events and
 * of the policy violations the page saw).
 */
import '@kyso/elements/verify-badge';
import '@kyso/elements/sign-document';
import '@kyso/elements/certificate-picker';
import type { SigningAdapter } from '@kyso/core';
import { Pkcs12Adapter } from '@kyso/adapters';

const P12_PASSWORD = 'kyso-test'; // the test PKI's published password (packages/testkit/src/pki/profile.ts)

interface Record {
  ready: boolean;
  events: string[];
  badge?: { state: string; signatures: number };
  signed?: { bytes: number; indication: string; integrity: string; signer: string; rect: number[] | null };
  /** The ids of the picker's certificates (leader, expired) and the one chosen. */
  certificates?: string[];
  selected?: string;
  errors: { code: string; message: string }[];
  violations: string[];
}
const record: Record = { ready: false, events: [], errors: [], violations: [] };
const output = document.getElementById('result')!;
const publish = () => (output.textContent = JSON.stringify(record));
document.addEventListener('securitypolicyviolation', (e) => {
  record.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  publish();
});

async function get(path: string): Promise<Uint8Array> {
  const response = await fetch(`/fixtures/${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Every event the elements fire, by type, in order; errors and outcomes kept in detail. */
function listen(target: EventTarget, types: readonly string[]): void {
  for (const type of types) {
    target.addEventListener(type, (e) => {
      record.events.push(type);
      const detail = (e as CustomEvent).detail;
      if (type === 'kyso-error') record.errors.push({ code: detail.code, message: detail.message });
      publish();
    });
  }
}

async function main(): Promise<void> {
  const root = await get('stories/root.cert.der');
  const leader = await Pkcs12Adapter.open(await get('pki/leader.p12'), P12_PASSWORD);

  // A portal: a badge over a document signed by the test PKI with its revocation data embedded.
  const badge = document.createElement('verify-badge');
  badge.trustProfile = 'none';
  badge.trust = [root];
  badge.revocation = 'embedded';
  listen(badge, ['kyso-verified', 'kyso-error', 'kyso-page-rendered']);
  badge.addEventListener('kyso-verified', (e) => {
    record.badge = { state: badge.state, signatures: e.detail.signatures.length };
    publish();
  });
  badge.src = '/fixtures/stories/valid.pdf';
  document.getElementById('verify')!.append(badge);

  // A QLVB app: the leader signs a draft where they click.
  const sign = document.createElement('sign-document');
  Object.assign(sign, { adapter: leader, trust: [root], data: await get('samples/simple.pdf') });
  listen(sign, ['kyso-signed', 'kyso-error', 'kyso-before-sign']);
  sign.addEventListener('kyso-signed', (e) => {
    const s = e.detail.report.signatures[0]!;
    const appended = new TextDecoder('latin1').decode(e.detail.bytes.subarray(e.detail.bytes.length - 40_000));
    const rect = /\/Rect\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(appended);
    record.signed = {
      bytes: e.detail.bytes.length, indication: s.indication, integrity: s.integrity, signer: s.signer.commonName ?? '',
      rect: rect ? rect.slice(1, 5).map(Number) : null,
    };
    publish();
  });
  document.getElementById('sign')!.append(sign);

  // A certificate picker over two keys, one of them expired (it is listed with a warning).
  const expired = await Pkcs12Adapter.open(await get('pki/expired.p12'), P12_PASSWORD);
  const both: SigningAdapter = {
    name: 'two keys',
    listCertificates: async () => [...(await leader.listCertificates()), ...(await expired.listCertificates())],
    capabilities: () => leader.capabilities(),
    sign: (request) => leader.sign(request),
  };
  const picker = document.createElement('certificate-picker');
  picker.adapter = both;
  listen(picker, ['kyso-certificate-selected', 'kyso-error']);
  picker.addEventListener('kyso-certificate-selected', (e) => {
    record.selected = e.detail.id;
    publish();
  });
  record.certificates = (await both.listCertificates()).map((c) => c.id);
  document.getElementById('pick')!.append(picker);

  record.ready = true;
  publish();
}

main().catch((e: unknown) => {
  record.errors.push({ code: (e as { code?: string }).code ?? 'page', message: String(e) });
  publish();
});
