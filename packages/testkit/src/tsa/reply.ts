import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { run } from '../exec.js';
import type { TestPki } from '../pki/generate.js';
import { TSA_POLICY_OID } from '../pki/profile.js';

const ab = (u: Uint8Array): ArrayBuffer => new Uint8Array(u).buffer as ArrayBuffer;

/** The `openssl ts` configuration of the test TSA (see `man openssl-ts`). */
export function tsConfig(pki: TestPki, policyOid: string = TSA_POLICY_OID): string {
  const tsa = pki.entity('tsa');
  return [
    '[ tsa ]',
    'default_tsa = kyso_test_tsa',
    '[ kyso_test_tsa ]',
    'serial = ./serial',
    'crypto_device = builtin',
    `signer_cert = ${tsa.certPath}`,
    `certs = ${pki.chainPath}`,
    `signer_key = ${tsa.keyPath}`,
    'signer_digest = sha256',
    `default_policy = ${policyOid}`,
    'digests = sha1, sha256, sha384, sha512',
    'accuracy = secs:1',
    'clock_precision_digits = 0',
    'ordering = no',
    'tsa_name = yes',
    'ess_cert_id_chain = no',
    // RFC 5816: ESSCertIDv2 with SHA-256 rather than SHA-1 ESSCertID.
    'ess_cert_id_alg = sha256',
    '',
  ].join('\n');
}

/**
 * A TimeStampReq (RFC 3161 §2.4.1) re-encoded with a changed field, so the
 * TSA answers something the client did not ask for.
 */
export function tamperQuery(query: Uint8Array, what: 'imprint' | 'nonce'): Uint8Array {
  const req = pkijs.TimeStampReq.fromBER(ab(query));
  if (what === 'imprint') {
    const h = new Uint8Array(req.messageImprint.hashedMessage.valueBlock.valueHexView);
    h[0] = h[0]! ^ 0xff;
    req.messageImprint.hashedMessage = new asn1js.OctetString({ valueHex: ab(h) });
  } else if (req.nonce) {
    const n = new Uint8Array(req.nonce.valueBlock.valueHexView);
    n[n.length - 1] = n[n.length - 1]! ^ 0x01;
    if (n.length > 1 && n[0] === 0 && (n[1]! & 0x80) === 0) n[0] = 0x01; // keep the INTEGER minimally encoded
    req.nonce = new asn1js.Integer({ valueHex: ab(n) });
  } else {
    req.nonce = new asn1js.Integer({ value: 0x4b59534f });
  }
  return new Uint8Array(req.toSchema().toBER(false));
}

/** PKIFailureInfo bit unacceptedPolicy (RFC 3161 §2.4.2). */
const FAIL_UNACCEPTED_POLICY = 15;

/** A TimeStampResp with status rejection (2) and no token (RFC 3161 §2.4.2). */
export function rejectionReply(text = 'TEST TSA: request rejected'): Uint8Array {
  const fail = new Uint8Array(2);
  fail[FAIL_UNACCEPTED_POLICY >> 3] = 0x80 >> (FAIL_UNACCEPTED_POLICY & 7);
  const statusInfo = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 2 }),
      new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: text })] }),
      new asn1js.BitString({ valueHex: ab(fail), unusedBits: 0 }),
    ],
  });
  return new Uint8Array(new asn1js.Sequence({ value: [statusInfo] }).toBER(false));
}

/** Options for {@link timestampReply}. */
export interface TimestampReplyOptions {
  readonly pki: TestPki;
  /** Serial number of the token (TSTInfo.serialNumber). */
  readonly serial: number;
  readonly policyOid?: string;
  /** Freeze the TSA's clock (genTime) with faketime; default the real clock. */
  readonly time?: Date;
}

/** `env TZ=UTC faketime -f @<time> <cmd>`: runs an openssl command at a fixed time. */
export function atFixedTime(time: Date | undefined, cmd: string, args: readonly string[]): [string, string[]] {
  if (!time) return [cmd, [...args]];
  const stamp = time.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  return ['env', ['TZ=UTC', 'faketime', '-f', `@${stamp}`, cmd, ...args]];
}

/**
 * Answers a DER TimeStampReq with `openssl ts -reply`, signed by the test
 * PKI's `tsa` certificate with intermediate and root attached. Runs in a
 * temporary folder that is removed afterwards.
 */
export async function timestampReply(query: Uint8Array, options: TimestampReplyOptions): Promise<Uint8Array> {
  const { pki } = options;
  const dir = await mkdtemp(join(tmpdir(), 'kyso-tsa-'));
  try {
    const tsa = pki.entity('tsa');
    await writeFile(join(dir, 'ts.cnf'), tsConfig(pki, options.policyOid));
    await writeFile(join(dir, 'serial'), options.serial.toString(16).padStart(2, '0') + '\n');
    await writeFile(join(dir, 'query.tsq'), query);
    const [cmd, args] = atFixedTime(options.time, 'openssl', [
      'ts', '-reply', '-config', 'ts.cnf', '-queryfile', 'query.tsq',
      '-signer', tsa.certPath, '-inkey', tsa.keyPath, '-chain', pki.chainPath, '-out', 'reply.tsr',
    ]);
    await run(cmd, args, { cwd: dir });
    return new Uint8Array(await readFile(join(dir, 'reply.tsr')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
