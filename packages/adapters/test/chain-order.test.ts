import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderChain, parseCertificate, type ParsedCertificate } from '../src/internal/certificate.js';
import { OpenSslWorkspace } from './helpers/openssl.js';

const ws = new OpenSslWorkspace();
const certs: Record<string, ParsedCertificate> = {};

/**
 * `der` with its subject written again as the same name in other bytes: every string a PrintableString in
 * upper case with doubled spaces, one RDN per attribute as before. RFC 5280 §7.1 (and pkijs `isEqual`) still
 * calls the two names equal; a byte comparison does not. The signature no longer verifies, which ordering
 * never looks at.
 */
function subjectReencoded(der: Uint8Array): Uint8Array {
  const cert = new pkijs.Certificate({ schema: asn1js.fromBER(der.slice().buffer).result });
  const rdns = cert.subject.typesAndValues.map((atv) => new asn1js.Set({
    value: [new asn1js.Sequence({
      value: [
        new asn1js.ObjectIdentifier({ value: atv.type }),
        new asn1js.PrintableString({ value: String(atv.value.valueBlock.value).toUpperCase().replace(/ /g, '  ') }),
      ],
    })],
  }));
  cert.subject = new pkijs.RelativeDistinguishedNames({ valueBeforeDecode: new asn1js.Sequence({ value: rdns }).toBER(false) });
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

const subjectOf = (pc: ParsedCertificate) => new Uint8Array(pc.cert.subject.valueBeforeDecode);

beforeAll(() => {
  ws.certificate('root', 'P-256', { ca: true });
  ws.certificate('inter', 'P-256', { ca: true, issuer: 'root' });
  ws.certificate('leaf', 'P-256', { issuer: 'inter' });
  ws.certificate('stranger', 'P-256', { ca: true });
  for (const name of ['root', 'inter', 'leaf', 'stranger']) certs[name] = parseCertificate(ws.der(name));
  certs.rootRenamed = parseCertificate(subjectReencoded(ws.der('root')));
  certs.interRenamed = parseCertificate(subjectReencoded(ws.der('inter')));
});

afterAll(() => ws.dispose());

describe('orderChain (the chain a software adapter lists, signer upwards)', () => {
  it('follows issuer to subject, whatever the order given, and keeps certificates that do not link in after the path', () => {
    const { leaf, inter, root, stranger } = certs;
    expect(orderChain(leaf, [stranger, root, inter])).toEqual([inter, root, stranger]);
    expect(orderChain(leaf, [inter, root])).toEqual([inter, root]);
  });

  it('drops the signer and duplicates', () => {
    const { leaf, inter, root } = certs;
    expect(orderChain(leaf, [root, leaf, inter, parseCertificate(ws.der('root'))])).toEqual([inter, root]);
  });

  it('links names that are equal under RFC 5280 §7.1 but encoded differently, and stops at a root self-issued in that sense', () => {
    const { leaf, rootRenamed, interRenamed, stranger } = certs;
    // The renamed subjects really are other bytes than the issuer fields that name them.
    expect(subjectOf(interRenamed)).not.toEqual(new Uint8Array(leaf.cert.issuer.valueBeforeDecode));
    expect(subjectOf(rootRenamed)).not.toEqual(new Uint8Array(rootRenamed.cert.issuer.valueBeforeDecode));
    expect(orderChain(leaf, [stranger, rootRenamed, interRenamed])).toEqual([interRenamed, rootRenamed, stranger]);
  });

  it('prefers the certificate whose subject is the issuer byte for byte over one equal only under RFC 5280 §7.1', () => {
    const { leaf, inter, interRenamed, root } = certs;
    expect(orderChain(leaf, [interRenamed, inter, root])).toEqual([inter, root, interRenamed]);
  });
});
