import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateFingerprint } from '@kyso/core';
import { ocspRequestFor } from '../../core/src/verify/revocation/index.js';
import { ensurePki, ocspAnswer, routeFetch, toPem, startScriptedRevocationServer, type ScriptedRevocationServer, type TestPki } from '@kyso/testkit';
import { verifyCommand } from '../src/verify-command.js';
import { runMain, tempDir } from './helpers/cli.js';
import { writeLeaderSigned } from './helpers/signed-sample.js';

// Revocation in `kyso verify` (docs/decisions/0022): embedded data, then data given with --crl/--ocsp, then the
// network by default; --offline stops before the network.

/** Inside the test PKI's validity (leaves 2025–2035, CRLs 2026–2036). */
const AT = '2030-01-01T00:00:00Z';

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let server: ScriptedRevocationServer;
const file = (name: string) => join(tmp.dir, name);
const json = (output: string) => JSON.parse(output) as { signatures: { indication: string; subIndication: string | null; revocation: { source: string[] } }[] };

beforeAll(async () => {
  pki = await ensurePki();
  tmp = tempDir();
  server = await startScriptedRevocationServer(pki);
  await writeLeaderSigned(pki, tmp.dir);
  // As an office would have them: the CA's CRL as downloaded (DER), the root's CRL converted to PEM.
  writeFileSync(file('intermediate.crl'), pki.crlDer);
  writeFileSync(file('root-crl.pem'), toPem('X509 CRL', pki.rootCrlDer));
  mkdirSync(file('crls'));
  writeFileSync(file('crls/intermediate.crl'), pki.crlDer);
  writeFileSync(file('crls/root.crl'), pki.rootCrlDer);
  writeFileSync(file('not-a-crl.crl'), '<html><body>404 Not Found</body></html>\n');
  // An OCSP response for the leader that a back end kept (no nonce: it was not asked for this verification).
  const request = await ocspRequestFor(pki.entity('leader').certDer, pki.entity('intermediate').certDer, { nonce: false });
  writeFileSync(file('leader.ocsp'), ocspAnswer(pki, request.der));
});

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

describe('kyso verify --crl (air-gapped office: the CRL was downloaded elsewhere)', () => {
  it('TOTAL_PASSED offline when the only revocation data is the CRL files given with --crl (DER and PEM)', async () => {
    const fetch = routeFetch(server.routes);
    const { output, exit } = await verifyCommand(
      [file('signed.pdf'), '--trust', file('root.pem'), '--offline', '--crl', file('intermediate.crl'), '--crl', file('root-crl.pem'), '--at', AT, '--format', 'json'], fetch);
    expect(json(output).signatures.map((s) => [s.indication, s.subIndication, s.revocation.source])).toEqual([['TOTAL_PASSED', null, ['crl-supplied']]]);
    expect(exit).toBe(0);
    expect(fetch.calls).toEqual([]);
  });

  it('--ocsp: a kept OCSP response decides the leader, the root\'s CRL the intermediate', async () => {
    const { output, exit } = await verifyCommand(
      [file('signed.pdf'), '--trust', file('root.pem'), '--offline', '--ocsp', file('leader.ocsp'), '--crl', file('root-crl.pem'), '--at', AT, '--format', 'json'], routeFetch({}));
    expect(json(output).signatures.map((s) => [s.indication, s.revocation.source])).toEqual([['TOTAL_PASSED', ['ocsp-supplied', 'crl-supplied']]]);
    expect(exit).toBe(0);
    // A CRL given as an OCSP response is refused, naming the file.
    const wrong = await runMain(['verify', file('signed.pdf'), '--offline', '--ocsp', file('intermediate.crl')]);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/^ERR_REVOCATION_DATA_MALFORMED: .*intermediate\.crl/);
  });

  it('takes a folder of CRLs', async () => {
    const { exit } = await verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--offline', '--crl', file('crls'), '--at', AT], routeFetch({}));
    expect(exit).toBe(0);
  });

  it('the same file offline without --crl stays unknown (TRY_LATER), in Vietnamese by default', async () => {
    const { output, exit } = await verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--offline', '--at', AT], routeFetch({}));
    expect(output.split('\n')).toContain('Chữ ký #1: CHƯA XÁC ĐỊNH (TRY_LATER)');
    expect(exit).toBe(2);
  });

  it('a file that is not a CRL stops the command: exit 4, ERR_REVOCATION_DATA_MALFORMED naming the file', async () => {
    const run = await runMain(['verify', file('signed.pdf'), '--offline', '--crl', file('not-a-crl.crl'), '--lang', 'en']);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ERR_REVOCATION_DATA_MALFORMED: .*not-a-crl\.crl/);
    expect((await runMain(['verify', file('signed.pdf'), '--offline', '--crl', file('missing.crl')])).code).toBe(4);
  });
});

describe('kyso verify goes online by default', () => {
  it('without a revocation option it asks the OCSP responder and is TOTAL_PASSED; --offline asks nothing', async () => {
    server.hits.clear();
    const fetch = routeFetch(server.routes);
    const online = await verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--at', AT, '--format', 'json'], fetch);
    expect(json(online.output).signatures.map((s) => [s.indication, s.revocation.source])).toEqual([['TOTAL_PASSED', ['ocsp-online', 'crl-online']]]);
    expect(server.hits.get('/ocsp')).toBe(1);
    const offline = await verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--offline', '--at', AT], fetch);
    expect(offline.exit).toBe(2);
    expect(server.hits.get('/ocsp')).toBe(1);
  });

  it('a CRL server that answers 503 twice and then the CRL gives a known verdict; a 404 gives no retry and TRY_LATER', async () => {
    server.hits.clear();
    // OCSP refused (404), so the CRLs decide.
    server.script = { '/ocsp': [404], '/crl/intermediate.crl': [503, 503, 200] };
    const first = await verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--at', AT, '--format', 'json'], routeFetch(server.routes));
    expect(json(first.output).signatures.map((s) => [s.indication, s.revocation.source])).toEqual([['TOTAL_PASSED', ['crl-online']]]);
    expect(server.hits.get('/crl/intermediate.crl')).toBe(3);
    server.hits.clear();
    server.script = { '/ocsp': [404], '/crl/intermediate.crl': [404, 200] };
    const second = await verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--at', AT, '--format', 'json'], routeFetch(server.routes));
    expect(json(second.output).signatures.map((s) => [s.indication, s.subIndication])).toEqual([['INDETERMINATE', 'TRY_LATER']]);
    expect(server.hits.get('/crl/intermediate.crl')).toBe(1);
    expect(server.hits.get('/ocsp')).toBe(1);
    server.script = {};
  });

  it('usage errors: --offline with --revocation online, an unknown policy or profile', async () => {
    for (const extra of [['--offline', '--revocation', 'online'], ['--policy', 'lenient'], ['--profile', 'vn-everything']]) {
      expect((await runMain(['verify', file('signed.pdf'), ...extra])).code).toBe(64);
    }
  });
});

describe('kyso verify --profile vn, --distrust', () => {
  it('distrusting the root by its SHA-256 fingerprint leaves the chain without an anchor', async () => {
    const args = [file('signed.pdf'), '--profile', 'vn', '--trust', file('root.pem'), '--offline', '--crl', file('crls'), '--at', AT, '--format', 'json'];
    expect(json((await verifyCommand(args, routeFetch({}))).output).signatures[0]!.indication).toBe('TOTAL_PASSED');
    const fingerprint = certificateFingerprint(pki.rootDer).match(/../g)!.join(':').toUpperCase();
    const gone = await verifyCommand([...args, '--distrust', fingerprint], routeFetch({}));
    expect(json(gone.output).signatures.map((s) => [s.indication, s.subIndication])).toEqual([['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']]);
    const byFile = await verifyCommand([...args, '--distrust', file('root.pem')], routeFetch({}));
    expect(byFile.exit).toBe(2);
  });

  it('--help lists the options', async () => {
    const run = await runMain(['verify', '--help']);
    for (const option of ['--offline', '--crl FILE|DIR', '--ocsp FILE|DIR', '--distrust', '--policy NAME', 'vn (both below)']) expect(run.stdout).toContain(option);
  });
});
