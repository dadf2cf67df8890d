import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, startScriptedRevocationServer, type ScriptedRevocationServer, type TestPki } from '@kyso/testkit';
import { auditCommand } from '../src/audit-command.js';
import type { AuditResult } from '../src/audit/model.js';
import { tempDir } from './helpers/cli.js';

// Under load, no verdict turns unknown because of the load (issue 15 §2): signed documents audited by 8 worker
// threads against one CA's revocation server (the test PKI's URLs routed to it, its requests counted). Each worker
// fetches each CRL and OCSP answer once and shares it (docs/decisions/0022); without that, every document asks again.
// One set of files: 200 documents in first-200/, and 800 more beside them for the 1,000 of the wording.

const LOADER = new URL('./audit-ts-hooks.mjs', import.meta.url).href;
const AT = '2030-01-01T00:00:00Z';
const JOBS = 8;
const DISTINCT = 20;
const COPIES = 50;
const DOCUMENTS = DISTINCT * COPIES;
/** Copies under docs/first-200 (200 documents); the rest go to docs/more. */
const FIRST_COPIES = 10;

let pki: TestPki;
let tmp: ReturnType<typeof tempDir>;
let server: ScriptedRevocationServer;

beforeAll(async () => {
  pki = await ensurePki();
  const samples = await ensureSamples();
  tmp = tempDir();
  server = await startScriptedRevocationServer(pki);
  writeFileSync(join(tmp.dir, 'root.pem'), pki.rootPem);
  const simple = new Uint8Array(readFileSync(samples.simple));
  const adapters = await Promise.all((['leader', 'seal'] as const).map((n) => {
    const e = pki.entity(n);
    return fromPkcs8Pem(e.keyPem, e.certDer, e.chainDer);
  }));
  // Twenty distinct documents (two signers, twenty signing times), filed fifty times over: 1,000 documents.
  for (let i = 0; i < DISTINCT; i++) {
    const signed = await sign(simple, { adapter: adapters[i % 2]!, signingTime: new Date(Date.UTC(2026, 0, 1 + i, 3)) });
    for (let c = 0; c < COPIES; c++) {
      const box = join(tmp.dir, 'docs', c < FIRST_COPIES ? 'first-200' : 'more', `box-${c}`);
      mkdirSync(box, { recursive: true });
      writeFileSync(join(box, `doc-${i}.pdf`), signed);
    }
  }
}, 300_000);

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

/** `kyso audit FOLDER --concurrency 8 …` with the revocation URLs routed to the counting server. */
async function auditUnderLoad(folder: string, extra: string[] = []): Promise<AuditResult> {
  const { output } = await auditCommand(
    [join(tmp.dir, 'docs', folder), '--trust', join(tmp.dir, 'root.pem'), '--concurrency', String(JOBS), ...extra, '--format', 'json'],
    { urlMap: server.routes, loader: LOADER },
  );
  return JSON.parse(output!) as AuditResult;
}

describe(`kyso audit --concurrency ${JOBS}, revocation online (the default), against local OCSP and CRL servers`, () => {
  it('200 documents with the OCSP responder refusing: every one TOTAL_PASSED, each CRL at most once per worker', async () => {
    server.hits.clear();
    // The OCSP responder refuses (404: an answer, not retried), so every document needs both CRLs.
    server.script = { '/ocsp': [404] };
    const { rows, summary } = await auditUnderLoad('first-200', ['--at', AT]);
    expect(rows).toHaveLength(DISTINCT * FIRST_COPIES);
    expect(rows.filter((r) => !r.fullyValid).map((r) => [r.path, r.signatures.map((s) => s.subIndication)])).toEqual([]);
    expect(summary).toMatchObject({ documents: 200, signed: 200, fullyValid: 200 });
    // Refusals are not kept: documents verified later ask again (requests in flight together share one answer),
    // so OCSP sees more than one request per signer and worker, and never more than one per document.
    expect(server.hits.get('/ocsp')).toBeGreaterThan(2 * JOBS);
    expect(server.hits.get('/ocsp')).toBeLessThanOrEqual(DISTINCT * FIRST_COPIES);
    for (const crl of ['/crl/intermediate.crl', '/crl/root.crl']) {
      expect(server.hits.get(crl)).toBeGreaterThanOrEqual(1);
      expect(server.hits.get(crl)).toBeLessThanOrEqual(JOBS);
    }
  }, 240_000);

  it(`${DOCUMENTS} documents with transient 503s: every one TOTAL_PASSED (none unknown), a few requests per worker`, async () => {
    server.hits.clear();
    server.script = { '/ocsp': [503, 200], '/crl/intermediate.crl': [503, 200], '/crl/root.crl': [503, 200] };
    // The CA's first answer on each path is a 503, the kind of transient failure a loaded server gives; core retries.
    const { rows, summary } = await auditUnderLoad('');
    expect(rows).toHaveLength(DOCUMENTS);
    const notPassed = rows.flatMap((r) => r.signatures.filter((s) => s.indication !== 'TOTAL_PASSED').map((s) => [r.path, s.indication, s.subIndication]));
    expect(notPassed).toEqual([]);
    expect(summary).toMatchObject({ documents: DOCUMENTS, signed: DOCUMENTS, fullyValid: DOCUMENTS });
    // Shared per worker thread (single flight, kept until nextUpdate): each thread asks OCSP once per signer
    // (two) and fetches the root's CRL once (the intermediate's status); OCSP answering, the intermediate CRL is
    // not needed. Plus the one scripted 503 on each path used. Measured: /ocsp 17, /crl/root.crl 9 for 1,000 documents.
    const hits = Object.fromEntries(server.hits);
    expect(hits['/ocsp'], JSON.stringify(hits)).toBeGreaterThanOrEqual(2);
    expect(hits['/ocsp'], JSON.stringify(hits)).toBeLessThanOrEqual(JOBS * 2 + 1);
    for (const crl of ['/crl/intermediate.crl', '/crl/root.crl']) expect(hits[crl] ?? 0, JSON.stringify(hits)).toBeLessThanOrEqual(JOBS + 1);
  }, 600_000);
});
