import * as asn1js from 'asn1js';
import { parseSignedData, parseSignedDataPlain, type Attribute, type ParsedSignedData } from '../../../src/verify/cms/signed-data.js';

const hex = (b: Uint8Array | ArrayBuffer | null | undefined): string | null => (b ? Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('hex') : null);

/**
 * An asn1js element as comparable data: its class, tag, type, encoding and, all the way down, what asn1js
 * decoded inside it (children of constructed elements, and the embedded decoding asn1js keeps for an OCTET
 * STRING or BIT STRING whose contents parse).
 */
export function elementTree(element: asn1js.AsnType | undefined): unknown {
  if (!element) return null;
  // Elements inside (an OBJECT IDENTIFIER's value array holds sub-identifiers, not elements).
  const value = (element.valueBlock as { value?: unknown } | undefined)?.value;
  const elements = Array.isArray(value) && value.every((v) => v && typeof v === 'object' && 'idBlock' in v) ? (value as asn1js.AsnType[]) : null;
  const inner = elements?.map(elementTree);
  return {
    type: element.constructor.name,
    tagClass: element.idBlock.tagClass,
    tagNumber: element.idBlock.tagNumber,
    der: hex(element.valueBeforeDecodeView),
    ...(inner ? { inner } : {}),
  };
}

const attributes = (list: readonly Attribute[] | null) => list?.map((a) => ({ oid: a.oid, values: a.values.map(elementTree) })) ?? null;

/** Everything a parse gives later stages, as comparable data. */
export function parseTree(p: ParsedSignedData): unknown {
  const s = p.signer;
  return {
    eContentType: p.eContentType, eContent: hex(p.eContent), certificates: p.certificates.map(hex), crls: p.crls.map(hex),
    ocsps: p.ocsps.map(hex), signerCount: p.signerCount,
    signer: {
      sid: elementTree(s.sid), digest: s.digestAlgorithmOid,
      signatureAlgorithm: { oid: s.signatureAlgorithm.algorithmId, params: elementTree(s.signatureAlgorithm.algorithmParams as asn1js.AsnType | undefined) },
      signedAttributesDer: hex(s.signedAttributesDer), signedAttributes: attributes(s.signedAttributes),
      unsignedAttributes: attributes(s.unsignedAttributes), signature: hex(s.signature),
    },
  };
}

function outcome(parse: (der: Uint8Array) => ParsedSignedData, der: Uint8Array): unknown {
  let parsed: ParsedSignedData;
  try {
    parsed = parse(der);
  } catch (e) {
    return { error: (e as Error).message };
  }
  return { parsed: parseTree(parsed) };
}

/**
 * `parseSignedData` (SignerInfo parts decoded one by one, from a cache when met before) and the plain path
 * (the SignerInfos decoded whole by asn1js): the same tree or the same error. The fast path runs twice, the
 * second time on a copy, from its cache.
 */
export function cmsBothWays(der: Uint8Array): { fast: unknown; cached: unknown; plain: unknown } {
  const plain = outcome(parseSignedDataPlain, der);
  const fast = outcome(parseSignedData, der);
  const cached = outcome(parseSignedData, der.slice());
  return { fast, cached, plain };
}
