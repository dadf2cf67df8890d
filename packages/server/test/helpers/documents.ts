import { sign, type SigningAdapter } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import type { EntityName, TestPki } from '@kyso/testkit';

/** A fixed validation time inside the test PKI's validity (as the CLI tests use). */
export const AT = '2030-01-01T00:00:00Z';

/** Signs `pdf` as a test PKI entity, in process. */
export async function signAs(pki: TestPki, who: EntityName, pdf: Uint8Array, signingTime = new Date('2026-01-15T03:00:00Z')): Promise<Uint8Array> {
  const e = pki.entity(who);
  const adapter: SigningAdapter = await fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  return sign(pdf, { adapter, signingTime });
}

/** A few malformed files: not a PDF, truncated, a broken xref, an empty body. */
export function malformedPdfs(valid: Uint8Array): Record<string, Uint8Array> {
  const text = new TextEncoder();
  return {
    'not a PDF': text.encode('GIF89a this is no PDF at all'),
    truncated: valid.slice(0, Math.floor(valid.length / 3)),
    'xref pointing outside the file': text.encode('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n999999999\n%%EOF\n'),
    empty: new Uint8Array(0),
  };
}
