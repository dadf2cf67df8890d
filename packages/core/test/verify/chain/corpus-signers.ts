import { readFileSync } from 'node:fs';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** One signature of a corpus PDF: the signer certificate and the other certificates its CMS carries. */
export interface CorpusSignature {
  readonly byteRange: readonly number[];
  readonly signer: Uint8Array | null;
  readonly certificates: Uint8Array[];
  /** The signature time-stamp token's TSA certificate and the token's certificates (RFC 3161), if any. */
  readonly timestamp: { readonly signer: Uint8Array | null; readonly certificates: Uint8Array[] } | null;
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

/**
 * The signatures of a PDF found the simple way: each /ByteRange's gap is the
 * `<hex>` of /Contents; the CMS is read with pkijs and the signer picked by
 * its SignerIdentifier (RFC 5652 §5.3).
 */
export function corpusSignatures(path: string): CorpusSignature[] {
  const bytes = new Uint8Array(readFileSync(path));
  const text = Buffer.from(bytes).toString('latin1');
  const out: CorpusSignature[] = [];
  for (const m of text.matchAll(BYTE_RANGE)) {
    const br = m.slice(1, 5).map(Number);
    const hex = text.slice(br[1]! + 1, br[2]! - 1).replace(/[^0-9a-fA-F]/g, '');
    const der = Uint8Array.from(Buffer.from(hex, 'hex'));
    const { offset, result } = asn1js.fromBER(der);
    if (offset === -1) continue;
    const signed = readSignedData(result);
    const token = signed.data.signerInfos[0]?.unsignedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14');
    const tst = token ? readSignedData(token.values[0] as asn1js.AsnType) : null;
    out.push({
      byteRange: br,
      signer: signed.signer,
      certificates: signed.certificates,
      timestamp: tst ? { signer: tst.signer, certificates: tst.certificates } : null,
    });
  }
  return out;
}

function readSignedData(contentInfo: asn1js.AsnType): { data: pkijs.SignedData; signer: Uint8Array | null; certificates: Uint8Array[] } {
  const data = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: contentInfo }).content });
  const certs = (data.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const certificates = certs.map((c) => new Uint8Array(c.toSchema().toBER()));
  const sid = data.signerInfos[0]?.sid;
  let signer: Uint8Array | null = null;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const i = certs.findIndex((c) => c.serialNumber.isEqual(sid.serialNumber) && c.issuer.isEqual(sid.issuer));
    if (i >= 0) signer = certificates[i]!;
  }
  return { data, signer, certificates };
}
