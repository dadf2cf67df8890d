import { createHash, createPrivateKey, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { TestPki } from '../pki/generate.js';
import { PROFILES, REVOCATION_REASON, VALIDITY, type EntityName } from '../pki/profile.js';

/** A fresh ArrayBuffer holding exactly `u`. */
const ab = (u: Uint8Array): ArrayBuffer => new Uint8Array(u).buffer as ArrayBuffer;

const NONCE = '1.3.6.1.5.5.7.48.1.2';
const BASIC = '1.3.6.1.5.5.7.48.1.1';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const NODE_HASH: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** What one OCSP answer of the test responder should say. */
export interface OcspAnswerOptions {
  /** Who signs: the test PKI's `ocsp` responder (default), or another entity for the failure modes. */
  readonly signer?: EntityName;
  /** ResponderID by name (default) or by key hash (RFC 6960 §4.2.1). */
  readonly responderId?: 'name' | 'key';
  /** producedAt and thisUpdate; default the CRL's thisUpdate (2026-01-01). */
  readonly thisUpdate?: Date;
  /** Default the CRL's nextUpdate (2036-01-01); `null` leaves it out. */
  readonly nextUpdate?: Date | null;
  /** Flip a bit of the signature. */
  readonly badSignature?: boolean;
}

/**
 * Answers an OCSPRequest (RFC 6960 §4.2) about certificates of the test
 * intermediate: `revoked` is revoked at {@link VALIDITY.revocationDate} for
 * keyCompromise, the other test serials are good, anything else (or another
 * issuer) is unknown. The request's nonce is echoed. Deterministic: the
 * times are fixed, never the clock's.
 */
export function ocspAnswer(pki: TestPki, requestDer: Uint8Array, options: OcspAnswerOptions = {}): Uint8Array {
  const request = new pkijs.OCSPRequest({ schema: decode(requestDer) });
  const intermediate = pkijs.Certificate.fromBER(ab(pki.entity('intermediate').certDer));
  const issuerName = new Uint8Array(intermediate.subject.valueBeforeDecode);
  const issuerKey = intermediate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  const thisUpdate = options.thisUpdate ?? VALIDITY.crlThisUpdate;
  const nextUpdate = options.nextUpdate === undefined ? VALIDITY.crlNextUpdate : options.nextUpdate;

  const responses = request.tbsRequest.requestList.map((r) => {
    const id = r.reqCert;
    const h = NODE_HASH[id.hashAlgorithm.algorithmId];
    const ours =
      h !== undefined &&
      hex(id.issuerNameHash.valueBlock.valueHexView) === createHash(h).update(issuerName).digest('hex') &&
      hex(id.issuerKeyHash.valueBlock.valueHexView) === createHash(h).update(issuerKey).digest('hex');
    const serial = hex(id.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '').toUpperCase();
    const entity = PROFILES.find((p) => p.serialHex === serial && p.issuer === 'intermediate');
    let certStatus: asn1js.BaseBlock;
    if (!ours || !entity) {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
    } else if (entity.name === 'revoked') {
      certStatus = new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 1 },
        value: [
          new asn1js.GeneralizedTime({ valueDate: VALIDITY.revocationDate }),
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.Enumerated({ value: REVOCATION_REASON })] }),
        ],
      });
    } else {
      certStatus = new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    }
    return new pkijs.SingleResponse({ certID: id, certStatus, thisUpdate, ...(nextUpdate ? { nextUpdate } : {}) });
  });

  const signerName = options.signer ?? 'ocsp';
  const signer = pki.entity(signerName);
  const signerCert = pkijs.Certificate.fromBER(ab(signer.certDer));
  const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === NONCE);
  const data = new pkijs.ResponseData({
    responderID:
      options.responderId === 'key'
        ? new asn1js.OctetString({
            valueHex: ab(createHash('sha1').update(signerCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest()),
          })
        : signerCert.subject,
    producedAt: thisUpdate,
    responses,
    ...(nonce ? { responseExtensions: [nonce] } : {}),
  });
  const tbs = new Uint8Array(data.toSchema(true).toBER(false));
  data.tbsView = tbs;
  const signature = new Uint8Array(sign('sha256', tbs, createPrivateKey(signer.keyPem)));
  if (options.badSignature) signature[signature.length - 1]! ^= 0x01;
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_WITH_RSA, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.BitString({ valueHex: ab(signature) }),
    certs: [signerCert],
  });
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: BASIC,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    }),
  });
  return new Uint8Array(response.toSchema().toBER(false));
}

/** An OCSPResponse with only an error status (RFC 6960 §4.2.1), e.g. 1 malformedRequest. */
export function ocspErrorAnswer(status: number): Uint8Array {
  return new Uint8Array(new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) }).toSchema().toBER(false));
}

function decode(der: Uint8Array): asn1js.AsnType {
  const { offset, result } = asn1js.fromBER(ab(der));
  if (offset === -1) throw new Error('testkit OCSP: request is not DER: ' + result.error);
  return result;
}

const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex');
