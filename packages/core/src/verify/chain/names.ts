/**
 * Distinguished-name matching for path building (RFC 5280 §7.1, RFC 4518).
 * Names are reduced to a canonical key; two names match when their keys are equal.
 */
import * as asn1js from 'asn1js';
import { toHex } from '../../util/bytes.js';
import { elements } from '../../crypto/raw-der.js';
import { decodeString } from '../../crypto/certificate-info.js';

/**
 * A canonical key for a Name (SEQUENCE OF RDN, each a SET OF
 * AttributeTypeAndValue). Directory strings of any type are decoded and
 * compared as text: Unicode NFC, insignificant spaces removed, case folded
 * (RFC 4518 §2, the caseIgnoreMatch profile RFC 5280 §7.1 asks for; it also
 * lets a PrintableString issuer match a UTF8String subject, which happens in
 * VGCA G1). Attributes inside one RDN are sorted (a SET has no order).
 * Anything that is not a string is compared by its encoding.
 * @throws Error when the element is not a Name.
 */
export function canonicalName(name: asn1js.AsnType): string {
  return elements(name)
    .map((rdn) =>
      elements(rdn)
        .map((atv) => {
          const [type, value] = elements(atv);
          if (!(type instanceof asn1js.ObjectIdentifier) || !value) throw new Error('bad AttributeTypeAndValue');
          return `${type.valueBlock.toString()}=${canonicalValue(value)}`;
        })
        .sort()
        .join('+'),
    )
    .join(',');
}

function canonicalValue(value: asn1js.AsnType): string {
  const text = decodeString(value);
  if (text === null) return `#${toHex(value.valueBeforeDecodeView)}`;
  // RFC 4518 §2.6.1 insignificant space handling, then case folding (§2.4, approximated by toLowerCase).
  const prepared = text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  // Escape the separators so that differently split names cannot collide.
  return JSON.stringify(prepared);
}
