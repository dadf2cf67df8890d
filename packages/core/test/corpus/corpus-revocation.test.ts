import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/crypto/certificate-info.js';
import { memorySource } from '../../src/pdf/byte-source.js';
import { PdfDocument } from '../../src/pdf/document.js';
import { PdfString, type PdfValue } from '../../src/pdf/objects.js';
import { fromBase64 } from '../../src/util/base64.js';
import { checkRevocation, issuedBy, readDss, revocationDataFromCms, vriKey } from '../../src/verify/revocation/index.js';
import { corpusDir } from '../helpers/corpus.js';

// Revocation data found in PDFs signed by other tools (the shared corpus, see its README).

const open = (file: string) => PdfDocument.open(memorySource(new Uint8Array(readFileSync(join(corpusDir(), 'pdfs', file)))));

/** The /Contents of every signature field value, in field order. */
function signatureContents(doc: PdfDocument): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (field: PdfValue): void => {
    const f = doc.dictOf(field);
    if (!f) return;
    const value = doc.dictOf(f.get('V'));
    const contents = value ? doc.resolve(value.get('Contents')) : null;
    if (contents instanceof PdfString) out.push(contents.bytes);
    const kids = doc.resolve(f.get('Kids'));
    if (Array.isArray(kids)) kids.forEach(walk);
  };
  const fields = doc.resolve(doc.dictOf(doc.catalog().get('AcroForm'))?.get('Fields'));
  if (Array.isArray(fields)) fields.forEach(walk);
  return out;
}

function pemCertificates(path: string): Uint8Array[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) => fromBase64(m[1]!.replace(/\s+/g, ''))!);
}

/** The path from `leaf` up through `pool` to a self-issued certificate. */
async function pathFrom(leaf: Uint8Array, pool: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const path = [leaf];
  for (let cur = leaf; path.length < 6; ) {
    if (await issuedBy(cur, cur)) break;
    let next: Uint8Array | undefined;
    for (const c of pool) if (c !== cur && (await issuedBy(cur, c))) next = c;
    if (!next) break;
    path.push(next);
    cur = next;
  }
  return path;
}

const byCn = (pool: readonly Uint8Array[], cn: string) => pool.find((c) => parseCertificate(c).subjectCN === cn)!;

describe('readDss on files signed by other tools', () => {
  it.each([
    ['dss-02-ecdsa-ltv-vri.pdf', { certs: 8, ocsps: 4, crls: 0, vri: 1 }],
    ['dss-06-pades-lt-four-sigs.pdf', { certs: 11, ocsps: 3, crls: 0, vri: 3 }],
    ['dss-07-qc-lta.pdf', { certs: 3, ocsps: 1, crls: 3, vri: 0 }],
    ['pyhanko-08-lta-dss-indirect-arrays.pdf', { certs: 5, ocsps: 2, crls: 1, vri: 2 }],
  ])('%s', async (file, expected) => {
    const doc = open(file);
    const dss = readDss(doc);
    expect({ certs: dss.certs.length, ocsps: dss.ocsps.length, crls: dss.crls.length, vri: dss.vri.size }).toEqual(expected);
    expect(dss.notes).toEqual([]);
    for (const c of dss.certs) expect(() => parseCertificate(c)).not.toThrow();
    // Every /VRI key names one of the file's signatures: SHA-1 of /Contents, padding included.
    const keys = await Promise.all(signatureContents(doc).map(vriKey));
    for (const key of dss.vri.keys()) expect(keys).toContain(key);
  });

  it('gives empty lists for a file without /DSS', () => {
    const dss = readDss(open('vn-02-nghi-dinh-49-2026-dau-chinh-phu.pdf'));
    expect({ certs: dss.certs, ocsps: dss.ocsps, crls: dss.crls, vri: dss.vri.size, notes: dss.notes }).toEqual({
      certs: [], ocsps: [], crls: [], vri: 0, notes: [],
    });
  });
});

describe('embedded revocation data of other tools decides at the signing time', () => {
  async function pool(file: string): Promise<{ certs: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] }> {
    const doc = open(file);
    const dss = readDss(doc);
    const certs = [...dss.certs];
    for (const c of signatureContents(doc)) certs.push(...revocationDataFromCms(c).certs);
    return { certs, ocsps: dss.ocsps, crls: dss.crls };
  }

  it('pyHanko LTA: Alice good by OCSP, her CA good by CRL, on 2020-11-01', async () => {
    const data = await pool('pyhanko-08-lta-dss-indirect-arrays.pdf');
    const root = pemCertificates(join(corpusDir(), 'trust', 'pyhanko-test-root-ca.pem'));
    const path = await pathFrom(byCn(data.certs, 'Alice'), [...data.certs, ...root]);
    expect(path.map((c) => parseCertificate(c).subjectCN)).toEqual(['Alice', 'Intermediate CA', 'Root CA']);
    const at = new Date('2020-11-01T00:00:00Z');
    const facts = await checkRevocation(path, at, data, { mode: 'embedded', now: new Date('2020-11-02T00:00:00Z') });
    expect(facts.status).toBe('good');
    expect(facts.entries.map((e) => [e.status, e.source])).toEqual([['good', 'ocsp-embedded'], ['good', 'crl-embedded']]);
  });

  it.each([
    ['dss-02-ecdsa-ltv-vri.pdf', 'POLYSYS kft.', '2019-11-01T14:53:47Z'],
    ['dss-06-pades-lt-four-sigs.pdf', 'FERREIRA Ricardo', '2021-05-28T07:47:31Z'],
    ['dss-07-qc-lta.pdf', 'REIFSCHNEIDER Andreas', '2017-07-21T17:52:11Z'],
  ])('%s: the signer %s is good by embedded OCSP at %s', async (file, cn, time) => {
    const data = await pool(file);
    const path = await pathFrom(byCn(data.certs, cn), data.certs);
    expect(path.length).toBeGreaterThanOrEqual(2);
    const facts = await checkRevocation(path, new Date(time), data, { mode: 'embedded', now: new Date('2030-01-01T00:00:00Z') });
    expect(facts.entries[0]).toMatchObject({ certIndex: 0, status: 'good', source: 'ocsp-embedded', revokedAt: null });
  });
});

describe('VGCA files (vn-): no revocation data is embedded', () => {
  const anchors = readdirSync(join(corpusDir(), '..', 'domain', 'trust-anchors'))
    .filter((f) => f.endsWith('.pem'))
    .flatMap((f) => pemCertificates(join(corpusDir(), '..', 'domain', 'trust-anchors', f)));
  const files = readdirSync(join(corpusDir(), 'pdfs')).filter((f) => f.startsWith('vn-'));

  it.each(files)('%s: neither /DSS nor the CMS carries OCSP or CRL data, so the signers stay unknown offline', async (file) => {
    const doc = open(file);
    const dss = readDss(doc);
    expect(dss.ocsps.length + dss.crls.length).toBe(0);
    const signatures = signatureContents(doc);
    expect(signatures.length).toBeGreaterThan(0);
    for (const contents of signatures) {
      const cms = revocationDataFromCms(contents);
      expect({ ocsps: cms.ocsps.length, crls: cms.crls.length, origins: cms.origins }).toEqual({ ocsps: 0, crls: 0, origins: [] });
      expect(cms.certs).toHaveLength(1);
      const path = await pathFrom(cms.certs[0]!, anchors);
      expect(path).toHaveLength(3); // signer, VGCA intermediate, VGCA root (trust-anchors/)
      const signed = parseCertificate(cms.certs[0]!).notBefore;
      const facts = await checkRevocation(path, signed, { ocsps: [], crls: [] }, { mode: 'embedded', now: new Date('2030-01-01T00:00:00Z') });
      expect(facts.status).toBe('unknown');
      expect(facts.entries.every((e) => e.status === 'unknown' && e.source === 'none')).toBe(true);
    }
  });
});
