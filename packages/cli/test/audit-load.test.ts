import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@kyso/core';
import { fromPkcs8Pem } from '@kyso/adapters';
import { ensurePki, ensureSamples, startScriptedRevocationServer, type ScriptedRevocationServer, type TestPki } from '@kyso/testkit';
import { auditCommand } from '../src/audit-command.js';
import type { AuditResult } from '../src/audit/model.js';
import { tempDir } from './helpers/cli.js';

// Under load, no verdict turns unknown because of the load: 200 documents audited by 8 worker threads against one
// CA's revocation server. Each worker fetches each CRL once and shares it (docs/decisions/0022); without that, every
// document asks again and the CA's server (here: counted) takes 200 requests per CRL.

const LOADER = new URL('./audit-ts-hooks.mjs', import.meta.url).href;
const AT = '2030-01-01T00:00:00Z';
const JOBS = 8;
const DISTINCT = 20;
const COPIES = 10;

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
  // Twenty distinct documents (two signers, twenty signing times), filed ten times over: 200 documents.
  for (let i = 0; i < DISTINCT; i++) {
    const signed = await sign(simple, { adapter: adapters[i % 2]!, signingTime: new Date(Date.UTC(2026, 0, 1 + i, 3)) });
    for (let c = 0; c < COPIES; c++) {
      mkdirSync(join(tmp.dir, 'docs', `box-${c}`), { recursive: true });
      writeFileSync(join(tmp.dir, 'docs', `box-${c}`, `doc-${i}.pdf`), signed);
    }
  }
}, 180_000);

afterAll(async () => {
  await server?.close();
  tmp?.remove();
});

describe(`kyso audit --concurrency ${JOBS} over ${DISTINCT * COPIES} documents, revocation online (the default)`, () => {
  it('gives every document TOTAL_PASSED, and the CA\'s server sees each CRL at most once per worker', async () => {
    server.hits.clear();
    // The OCSP responder refuses (404: an answer, not retried), so every document needs both CRLs.
    server.script = { '/ocsp': [404] };
    const { output } = await auditCommand(
      [join(tmp.dir, 'docs'), '--trust', join(tmp.dir, 'root.pem'), '--concurrency', String(JOBS), '--at', AT, '--format', 'json'],
      { urlMap: server.routes, loader: LOADER },
    );
    const { rows, summary } = JSON.parse(output!) as AuditResult;
    expect(rows).toHaveLength(DISTINCT * COPIES);
    expect(rows.filter((r) => !r.fullyValid).map((r) => [r.path, r.signatures.map((s) => s.subIndication)])).toEqual([]);
    expect(summary).toMatchObject({ documents: 200, signed: 200, fullyValid: 200 });
    // Every document asked OCSP (refusals are not kept) and none of them failed for it.
    expect(server.hits.get('/ocsp')).toBe(DISTINCT * COPIES);
    for (const crl of ['/crl/intermediate.crl', '/crl/root.crl']) {
      expect(server.hits.get(crl)).toBeGreaterThanOrEqual(1);
      expect(server.hits.get(crl)).toBeLessThanOrEqual(JOBS);
    }
  }, 240_000);
});
