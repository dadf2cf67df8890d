import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { decodeExact, decodeLimits, derSetOfBytes, derTlv, elements, encode, EncodedElement, sortDer } from '../../src/crypto/raw-der.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

describe('raw-der: asn1js without re-encoding', () => {
  it('embeds given bytes verbatim inside asn1js structures, even non-minimal ones', () => {
    // A BER length in long form (81 02) that asn1js would shorten if it re-encoded it.
    const odd = bytes('048102aabb');
    const seq = new asn1js.Sequence({ value: [new asn1js.Integer({ value: 1 }), new EncodedElement(odd)] });
    expect(hex(encode(seq))).toBe('3008020101048102aabb');
    const nested = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [seq] });
    expect(hex(encode(nested))).toBe('a00a3008020101048102aabb');
    // Large content takes the long-form length path of asn1js as well.
    const big = new Uint8Array(70_000 + 5);
    big.set([0x04, 0x83, 0x01, 0x11, 0x70]);
    const wrapped = encode(new asn1js.Sequence({ value: [new EncodedElement(big)] }));
    expect(hex(wrapped.subarray(0, 5))).toBe('3083011175');
    expect(wrapped.subarray(5)).toEqual(big);
  });

  it('orders a SET OF by its element encodings (X.690 §11.6), which asn1js leaves to the caller', () => {
    const items = [bytes('0402ffff'), bytes('0401ff'), bytes('040100'), bytes('020101')];
    expect(sortDer(items).map(hex)).toEqual(['020101', '040100', '0401ff', '0402ffff']);
    expect(hex(derSetOfBytes(items))).toBe('310d0201010401000401ff0402ffff');
    expect(hex(derSetOfBytes([bytes('0500')], 0xa1))).toBe('a1020500');
  });

  it.each([0, 1, 127, 128, 255, 256, 65_535, 65_536, 16_777_216])(
    'wraps %i content octets in the same DER header asn1js writes (short form below 128, shortest long form above)', (n) => {
      const content = new Uint8Array(n).fill(0xab);
      const expected = encode(new asn1js.OctetString({ valueHex: content }));
      // Split into pieces: the wrapper joins them.
      const wrapped = derTlv(0x04, content.subarray(0, n >> 1), content.subarray(n >> 1));
      expect(wrapped.length).toBe(expected.length);
      expect(hex(wrapped.subarray(0, 8))).toBe(hex(expected.subarray(0, 8)));
      expect(decodeExact(wrapped)).toBeInstanceOf(asn1js.OctetString);
    });

  it('decodes exactly one element and refuses what follows it', () => {
    expect(decodeExact(bytes('3003020101'))).toBeInstanceOf(asn1js.Sequence);
    expect(decodeExact(bytes('30800201010000'))).toBeInstanceOf(asn1js.Sequence); // BER indefinite length
    expect(() => decodeExact(bytes('300302010100'))).toThrow(/after/);
    expect(() => decodeExact(bytes('3005020101'))).toThrow();
    expect(() => decodeExact(new Uint8Array(0))).toThrow();
  });
});

describe('decodeExact: limits that follow the input length', () => {
  const nested = (depth: number): Uint8Array => {
    let v = bytes('0500');
    for (let i = 0; i < depth; i++) v = derTlv(0x30, v);
    return v;
  };

  it('decodes valid values past asn1js default limits (10,000 nodes): 20,000 tiny elements, 6,000 OCTET STRINGs with their embedded values', () => {
    const tiny = derTlv(0x30, ...Array.from({ length: 20_000 }, () => bytes('3000')));
    expect(elements(decodeExact(tiny))).toHaveLength(20_000);
    // asn1js decodes DER inside an OCTET STRING speculatively and counts its nodes too; over the limit it would drop them silently.
    const wrapped = elements(decodeExact(derTlv(0x30, ...Array.from({ length: 6_000 }, () => bytes('04020500'))))) as asn1js.OctetString[];
    expect(wrapped).toHaveLength(6_000);
    expect(wrapped.at(-1)!.valueBlock.value[0]).toBeInstanceOf(asn1js.Null);
  });

  it('lets at most one node per input byte be counted, and no content longer than the input', () => {
    for (const n of [2, 1_000, 20_000, 3_000_000, 50_000_000]) {
      const limits = decodeLimits(n);
      expect(limits.maxNodes).toBeGreaterThanOrEqual(n / 2);
      expect(limits.maxNodes).toBeLessThanOrEqual(Math.max(asn1js.DEFAULT_MAX_NODES, n));
      expect(limits.maxContentLength).toBeGreaterThanOrEqual(n);
      expect(limits.maxDepth).toBe(asn1js.DEFAULT_MAX_DEPTH);
    }
  });

  it('refuses hostile shapes with an error its callers type: nesting past 100 levels, a length past the end', () => {
    expect(decodeExact(nested(99))).toBeInstanceOf(asn1js.Sequence);
    expect(() => decodeExact(nested(150))).toThrow('Maximum ASN.1 nesting depth exceeded');
    expect(() => decodeExact(nested(3_000))).toThrow('Maximum ASN.1 nesting depth exceeded');
    expect(() => decodeExact(bytes('30847fffffff0500'))).toThrow();
    // 50,000 OCTET STRINGs whose contents start an element and stop: each speculative decode gives up at once.
    const partial = decodeExact(derTlv(0x30, ...Array.from({ length: 50_000 }, () => bytes('040130'))));
    expect(elements(partial)).toHaveLength(50_000);
  });
});
