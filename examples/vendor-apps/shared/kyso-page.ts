/**
 * What every vendor app of examples/vendor-apps does with the elements, and
 * what it records for test/packed-apps.test.ts: a `<verify-badge>` over a
 * signed sample, a `<sign-document>` over a draft with a PKCS#12 key, the
 * events they fire, the errors, and the Content-Security-Policy violations
 * the page saw. The record is JSON in `#result`; the signed bytes are kept
 * for the test as `window.kysoSigned` (base64). Copied into each app's `src/`
 * by the test; the fixtures are served under `/fixtures/`.
 */
import type { SignDocument, SignedDetail, VerifyBadge } from '@kyso/elements';
import { Pkcs12Adapter } from '@kyso/adapters';

/** The test PKI's published password (packages/testkit/src/pki/profile.ts). */
const P12_PASSWORD = 'kyso-test';

export interface PageRecord {
  ready: boolean;
  events: string[];
  badge?: string;
  /** What the element's own check of its output found (with `revocation: 'off'`, no trust decision is final in the page). */
  signed?: { indication: string; subIndication: string | null; integrity: string; signer: string; bytes: number };
  errors: string[];
  violations: string[];
}

const record: PageRecord = { ready: false, events: [], errors: [], violations: [] };
const publish = () => {
  const out = document.getElementById('result');
  if (out) out.textContent = JSON.stringify(record);
};
document.addEventListener('securitypolicyviolation', (e) => {
  record.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  publish();
});

async function fixture(path: string): Promise<Uint8Array> {
  const response = await fetch(`/fixtures/${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Sets up the two elements (however the framework created them) and records what they do. */
export async function setUpKyso(badge: VerifyBadge, sign: SignDocument): Promise<void> {
  try {
    const root = await fixture('stories/root.cert.der');
    badge.addEventListener('kyso-verified', () => {
      record.events.push('kyso-verified');
      record.badge = badge.state;
      publish();
    });
    sign.addEventListener('kyso-signed', (e) => {
      const { bytes, report } = (e as CustomEvent<SignedDetail>).detail;
      const s = report.signatures[0]!;
      record.events.push('kyso-signed');
      record.signed = {
        indication: s.indication, subIndication: s.subIndication ?? null, integrity: s.integrity, signer: s.signer.commonName ?? '', bytes: bytes.length,
      };
      (window as unknown as { kysoSigned: string }).kysoSigned = toBase64(bytes);
      publish();
    });
    for (const el of [badge, sign]) {
      el.addEventListener('kyso-error', (e) => {
        const { code, message } = (e as CustomEvent<{ code: string; message: string }>).detail;
        record.errors.push(`${el.localName}: ${code} ${message}`);
        publish();
      });
    }
    badge.trustProfile = 'none';
    badge.trust = [root];
    badge.revocation = 'embedded';
    badge.src = '/fixtures/stories/valid.pdf';

    sign.adapter = await Pkcs12Adapter.open(await fixture('pki/leader.p12'), P12_PASSWORD);
    sign.trust = [root];
    sign.revocation = 'off';
    sign.data = await fixture('samples/simple.pdf');
    record.ready = true;
  } catch (e) {
    record.errors.push(`page: ${String(e)}`);
  }
  publish();
}
