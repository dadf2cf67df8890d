/**
 * A QLVB page that signs through the agency's remote-signing back end (VNPT SmartCA behind
 * `@kyso/adapters/remote-handler`), built by Vite and served under a strict CSP
 * (packages/elements/test/remote-reload.test.ts). `<sign-document resume-key>` keeps a signature waiting on the
 * signer's phone in the tab's sessionStorage; the test reloads this page mid-wait. The page records what the
 * element fired in `#result` (the signed PDF as base64).
 */
import '@kyso/elements/sign-document';
import { RemoteSigningAdapter } from '@kyso/adapters';

interface Record {
  ready: boolean;
  events: string[];
  errors: { code: string; message: string }[];
  signed?: { base64: string; indication: string; integrity: string };
}
const record: Record = { ready: false, events: [], errors: [] };
const output = document.getElementById('result')!;
const publish = () => (output.textContent = JSON.stringify(record));

async function get(path: string): Promise<Uint8Array> {
  const response = await fetch(`/fixtures/${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function main(): Promise<void> {
  const [pdf, root] = await Promise.all([get('samples/simple.pdf'), get('pki/root.cert.der')]);
  const el = document.createElement('sign-document');
  // The app's own name for this signing (its document id): what makes the wait survive a reload.
  el.resumeKey = 'qlvb-van-ban-42';
  el.adapter = new RemoteSigningAdapter({
    endpoint: new URL('/api/kyso-remote', location.href).href,
    // The tests' stand-in for the integrator's session cookie: who is signed in.
    headers: { 'x-session-user': '001201000001' },
    poll: { intervalMs: 50, maxIntervalMs: 200 },
  });
  el.trust = [root];
  el.data = pdf;
  for (const type of ['kyso-before-sign', 'kyso-certificate-selected', 'kyso-signed', 'kyso-error']) {
    el.addEventListener(type, (e) => {
      record.events.push(type);
      const detail = (e as CustomEvent).detail;
      if (type === 'kyso-error') record.errors.push({ code: detail.code, message: detail.message });
      if (type === 'kyso-signed') {
        const [sig] = detail.report.signatures;
        record.signed = { base64: base64(detail.bytes), indication: sig.indication, integrity: sig.integrity };
      }
      publish();
    });
  }
  document.getElementById('sign')!.append(el);
  record.ready = true;
  publish();
}

main().catch((e: unknown) => {
  record.errors.push({ code: 'PAGE', message: String(e) });
  publish();
});
