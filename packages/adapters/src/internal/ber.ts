import * as asn1js from 'asn1js';

/**
 * asn1js's `fromBER` as the software adapters call it: without the speculative
 * parse of every OCTET STRING's contents as ASN.1 (`parseEmbedded`). That parse
 * decoded a PKCS#12 file's whole payload, each certificate in its bags and each
 * certificate extension once more before the schemas read them, at start-up
 * cost and garbage (docs/decisions/0037-software-key-start-up.md); the schemas
 * and the bag walk decode what they read themselves. The input is already the
 * caller's own copy, so asn1js does not copy it again.
 */
export function decodeBer(bytes: Uint8Array<ArrayBuffer>): asn1js.FromBerResult {
  return asn1js.fromBER(bytes, { parseEmbedded: false, copyInput: false });
}
