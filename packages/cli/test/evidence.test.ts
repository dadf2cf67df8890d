import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherFacts, judge } from '@kyso/core';
import { ensurePki, routeFetch, startScriptedRevocationServer, type ScriptedRevocationServer, type TestPki } from '@kyso/testkit';
import { verifyCommand } from '../src/verify-command.js';
import { buildEvidence, writeEvidence, type EvidenceManifest } from '../src/evidence/index.js';
import { runMain, tempDir } from './helpers/cli.js';
import { writeLeaderSigned } from './helpers/signed-sample.js';

// `kyso verify --evidence DIR` keeps what a receiving clerk must keep (Circular 15/2025/TT-BKHCN, Decree 30/2020
// Art. 21.2), and that folder alone re-verifies the document offline to the same verdict (docs/decisions/0025).

/** Inside the test PKI's validity (leaves 2025–2035, CRLs 2026–2036). */
const AT = '2030-01-01T00:00:00Z';

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let server: ScriptedRevocationServer;
const file = (name: string) => join(tmp.dir, name);
type Json = { signatures: { indication: string; subIndication: string | null; revocation: { status: string; source: string[] } }[] };
const json = (output: string) => JSON.parse(output) as Json;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** Every file under `dir`, relative, sorted. */
const tree = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name).slice(dir.length + 1)).sort();

beforeAll(async () => {
  pki = await ensurePki();
  tmp = tempDir();
  server = await startScriptedRevocationServer(pki);
  await writeLeaderSigned(pki, tmp.dir);
});

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

describe('kyso verify --evidence DIR', () => {
  it('keeps the path certificates, the OCSP/CRL that decided, the status and the reports; DIR alone re-verifies offline to the same verdict', async () => {
    const dir = file('evidence-online');
    const online = await verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--at', AT, '--format', 'json', '--evidence', dir], routeFetch(server.routes));
    const first = json(online.output).signatures[0]!;
    expect([first.indication, first.revocation.source]).toEqual(['TOTAL_PASSED', ['ocsp-online', 'crl-online']]);

    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as EvidenceManifest;
    // Every file but the manifest is listed, and each hash is the file's.
    expect(manifest.files.map((f) => f.path)).toEqual(tree(dir).filter((p) => p !== 'manifest.json'));
    for (const f of manifest.files) expect([f.path, sha256(readFileSync(join(dir, f.path)))]).toEqual([f.path, f.sha256]);
    expect(manifest.document.sha256).toBe(sha256(readFileSync(file('signed.pdf'))));

    // The path: leader, intermediate, root, as PEM; the root as the anchor.
    const pems = manifest.files.filter((f) => f.path.startsWith('certs/')).map((f) => readFileSync(join(dir, f.path), 'utf8'));
    const ders = pems.map((p) => sha256(Buffer.from(p.replace(/-----[^-]+-----|\s/g, ''), 'base64'))).sort();
    expect(ders).toEqual([pki.entity('leader').certDer, pki.entity('intermediate').certDer, pki.rootDer].map(sha256).sort());
    expect(readFileSync(join(dir, 'trust.pem'), 'utf8').replace(/\s/g, '')).toBe(pki.rootPem.replace(/\s/g, ''));
    // The leader's OCSP answer as fetched, and the root's CRL that decided the intermediate (DER, byte for byte).
    expect(tree(join(dir, 'ocsp'))).toHaveLength(1);
    expect(readdirSync(join(dir, 'crl')).map((n) => sha256(readFileSync(join(dir, 'crl', n))))).toEqual([sha256(pki.rootCrlDer)]);
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
    expect(status.signatures[0].revocation.entries.map((e: { source: string; status: string }) => [e.source, e.status]))
      .toEqual([['ocsp-online', 'good'], ['crl-online', 'good']]);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).signatures[0].indication).toBe('TOTAL_PASSED');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<html lang="vi">');

    // Re-verify from the folder alone, with no network: the same verdict, decided by the kept data.
    const fetch = routeFetch({});
    const args = manifest.reverify.map((a) => (['crl', 'ocsp', 'certs', 'trust.pem'].includes(a) ? join(dir, a) : a));
    const again = await verifyCommand([file('signed.pdf'), ...args, '--format', 'json'], fetch);
    const second = json(again.output).signatures[0]!;
    expect([second.indication, second.subIndication, second.revocation.source]).toEqual(['TOTAL_PASSED', null, ['ocsp-supplied', 'crl-supplied']]);
    expect(again.exit).toBe(online.exit);
    expect(fetch.calls).toEqual([]);
    // Without the kept revocation data the same offline check cannot decide: the folder is what made it.
    const bare = await verifyCommand([file('signed.pdf'), '--offline', '--trust', join(dir, 'trust.pem'), '--at', AT, '--format', 'json'], routeFetch({}));
    expect(json(bare.output).signatures[0]!.subIndication).toBe('TRY_LATER');
  });

  it('refuses a folder that is not empty (ERR_EVIDENCE_DIR_NOT_EMPTY, exit 73) and leaves it and its parent as they were', async () => {
    const dir = file('kept');
    mkdirSync(dir);
    writeFileSync(join(dir, 'earlier.txt'), 'an earlier verification');
    const run = await runMain(['verify', file('signed.pdf'), '--trust', file('root.pem'), '--offline', '--at', AT, '--evidence', dir]);
    expect(run.code).toBe(73);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^ERR_EVIDENCE_DIR_NOT_EMPTY: /);
    expect(readdirSync(dir)).toEqual(['earlier.txt']);
    expect(readFileSync(join(dir, 'earlier.txt'), 'utf8')).toBe('an earlier verification');
    // Refused before any work: no OCSP or CRL request is made for a report that could not be kept.
    const fetch = routeFetch(server.routes);
    await expect(verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--at', AT, '--evidence', dir], fetch))
      .rejects.toMatchObject({ code: 'ERR_EVIDENCE_DIR_NOT_EMPTY' });
    expect(fetch.calls).toEqual([]);
    // A file in the way is refused the same way.
    const refused = await runMain(['verify', file('signed.pdf'), '--offline', '--evidence', file('root.pem')]);
    expect(refused.code).toBe(73);
    expect(readFileSync(file('root.pem'), 'utf8')).toBe(pki.rootPem);
    // No temporary folder is left beside it.
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('fills an existing empty folder, and writes nothing when verification fails before it', async () => {
    const dir = file('empty');
    mkdirSync(dir);
    const { exit } = await verifyCommand([file('signed.pdf'), '--trust', file('root.pem'), '--offline', '--at', AT, '--evidence', dir], routeFetch({}));
    expect(exit).toBe(2);
    expect(tree(dir)).toContain('manifest.json');
    // Nothing decided a status offline: the revocation folders exist (for --crl/--ocsp) and are empty.
    expect([readdirSync(join(dir, 'crl')), readdirSync(join(dir, 'ocsp'))]).toEqual([[], []]);
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
    expect(status.signatures[0].revocation.status).toBe('unknown');
    expect(status.signatures[0].undecided.length).toBeGreaterThan(0);

    const never = file('never');
    expect((await runMain(['verify', file('missing.pdf'), '--offline', '--evidence', never])).code).toBe(4);
    expect(existsSync(never)).toBe(false);
  });
});

describe('the evidence API (@kyso/cli/evidence)', () => {
  it('buildEvidence gives the same files in memory; facts gathered without collectEvidence are refused', async () => {
    const pdf = new Uint8Array(readFileSync(file('signed.pdf')));
    const options = { trust: [pki.rootPem], revocation: 'online' as const, fetch: routeFetch(server.routes), at: new Date(AT) };
    const facts = await gatherFacts(pdf, { ...options, collectEvidence: true });
    const report = judge(facts, undefined, 'signed.pdf');
    const document = { name: 'signed.pdf', sha256: sha256(pdf), size: pdf.length };
    const { files, manifest } = buildEvidence({ facts, report, document });
    expect(manifest.files.map((f) => [f.path, f.sha256])).toEqual([...files.entries()].map(([p, b]) => [p, sha256(b)]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
    expect([...files.keys()].filter((p) => p.startsWith('ocsp/') || p.startsWith('crl/'))).toHaveLength(2);
    const dir = file('evidence-api');
    expect(writeEvidence(dir, { facts, report, document })).toEqual(manifest);
    for (const [path, bytes] of files) expect(sha256(readFileSync(join(dir, path)))).toBe(sha256(bytes));

    const bare = await gatherFacts(pdf, options);
    expect(() => buildEvidence({ facts: bare, report: judge(bare), document })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
