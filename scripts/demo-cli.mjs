#!/usr/bin/env node
// `npm run demo:cli`: the Decree 30 flow in Node, without a browser. Signs a Vietnamese sample with the
// embedded test PKI (leader approves, the agency issues with its seal, both timestamped by a local RFC 3161
// server), checks it with poppler's pdfsig and with kyso's own verifier, and prints where the file is.
// No external service is used. `npm start -- --check` runs this too.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pkcs12Adapter } from '@kyso/adapters';
import { verify } from '@kyso/core';
import { openFileSource, signFile } from '@kyso/core/node';
import {
  ensurePki, ensureSamples, pkiRoutes, routeFetch, sealImage, signatureImage, startCrlServer, startOcspResponder, startTsaServer,
} from '@kyso/testkit';
import { formatReport } from '../packages/cli/dist/verify-text.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs the flow; throws when pdfsig or kyso does not find both signatures valid. */
export async function runCliDemo() {
  const outDir = join(root, 'out');
  mkdirSync(outDir, { recursive: true });
  const pki = await ensurePki();
  const samples = await ensureSamples();
  const tsa = await startTsaServer({ pki });
  const ocsp = await startOcspResponder({ pki });
  const crl = await startCrlServer({ pki });
  try {
    const open = (name) => Pkcs12Adapter.open(new Uint8Array(readFileSync(pki.entity(name).p12Path)), pki.p12Password);
    const approved = join(outDir, 'quyet-dinh.approved.pdf');
    const issued = join(outDir, 'quyet-dinh.signed.pdf');

    await signFile(samples.vietnamese, approved, {
      adapter: await open('leader'),
      level: 'B-T',
      timestamp: { url: tsa.url },
      appearance: { role: 'approve', image: { bytes: signatureImage() } },
      // Decree 30: the leader signs between the title and the printed name, found on the page.
      placement: { page: 1, anchor: { text: 'Nguyễn Văn Đức' } },
      reason: 'Phê duyệt',
      location: 'Đà Nẵng',
    });
    await signFile(approved, issued, {
      adapter: await open('seal'),
      level: 'B-T',
      timestamp: { url: tsa.url },
      appearance: { role: 'issue', image: { bytes: sealImage(36) } },
      reason: 'Phát hành',
      location: 'Đà Nẵng',
    });

    const report = execFileSync('pdfsig', ['-nssdir', `sql:${pki.nssDir}`, '-no-ocsp', issued], { encoding: 'utf8' });
    process.stdout.write(report);
    const valid = (report.match(/Signature Validation: Signature is Valid\./g) ?? []).length;
    if (valid !== 2) throw new Error(`pdfsig found ${valid} valid signature(s), expected 2`);
    // kyso's own verifier: trust the test root, check revocation online against the local OCSP and CRL servers.
    const source = openFileSource(issued);
    const verdict = await verify(source, {
      trust: [pki.rootPem], revocation: 'online', fetch: routeFetch(pkiRoutes({ ocsp, crl })), file: relative(process.cwd(), issued),
    });
    source.close();
    process.stdout.write(`\nkyso verify:\n${formatReport(verdict, 'vi')}`);
    if (!verdict.signatures.every((s) => s.indication === 'TOTAL_PASSED')) throw new Error('kyso verify did not find every signature valid');
    console.log(`\nSigned (leader + agency seal, PAdES B-T): ${relative(process.cwd(), issued)} (${statSync(issued).size} bytes)`);
    console.log(`Test trust root for other viewers: ${relative(process.cwd(), pki.rootPath)}`);
  } finally {
    await tsa.close();
    await ocsp.close();
    await crl.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await runCliDemo();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
