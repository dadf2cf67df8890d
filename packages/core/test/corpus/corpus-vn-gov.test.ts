import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/crypto/certificate-info.js';
import { buildChain } from '../../src/verify/chain/index.js';
import { gatherFacts } from '../../src/verify/verify.js';
import { trustFromCertificates, trustProfile } from '../../src/verify/trust/index.js';
import { corpusDir } from '../helpers/corpus.js';
import { corpusSignatures, type CorpusSignature } from '../verify/chain/corpus-signers.js';

/** The manifest assumes a validation time in late 2026; any fixed time inside the certificates' validity will do. */
const AT = new Date('2026-06-01T00:00:00Z');
const G1_CP = 'CN=Co quan chung thuc so Chinh phu,O=Ban Co yeu Chinh phu,C=VN';

/**
 * The real VGCA-signed documents of the corpus (vn-*): their CMS carries only the signer's certificate, so
 * the chain needs the vn-gov profile's bundled intermediates (corpus README; manifest rows vn-01..vn-09).
 */
describe('VGCA signer chains in the corpus', () => {
  let files: { file: string; signatures: CorpusSignature[] }[];
  beforeAll(() => {
    const dir = join(corpusDir(), 'pdfs');
    files = readdirSync(dir)
      .filter((f) => f.startsWith('vn-'))
      .map((file) => ({ file, signatures: corpusSignatures(join(dir, file)) }));
  });

  it('finds the nine files and their signers', () => {
    expect(files.map((f) => f.file.slice(0, 5))).toEqual(['vn-01', 'vn-02', 'vn-03', 'vn-04', 'vn-05', 'vn-06', 'vn-07', 'vn-08', 'vn-09']);
    for (const { signatures } of files) {
      expect(signatures.length).toBeGreaterThan(0);
      for (const s of signatures) expect(s.signer).not.toBeNull();
    }
  });

  it('chains every signer to a VGCA root with vn-gov, with the SHA-1 note exactly on G1 chains', async () => {
    const gov = trustProfile('vn-gov');
    const g1: string[] = [];
    for (const { file, signatures } of files) {
      for (const [i, s] of signatures.entries()) {
        const { chain, certificates } = await buildChain(s.signer!, s.certificates, gov, AT);
        expect({ file, i, status: chain.status, path: chain.path, problems: chain.problems, source: chain.anchor?.source }).toEqual({
          file, i, status: 'trusted', path: [0, 1, 2], problems: [], source: 'vn-gov',
        });
        const viaG1 = parseCertificate(s.signer!).issuerDN === G1_CP;
        if (viaG1) g1.push(`${file.slice(0, 5)}#${i}`);
        // G1: root → cp is SHA-1 signed and accepted by name; cp → signer is SHA-256.
        expect(chain.notes).toEqual(viaG1 ? [{ kind: 'sha1-ca-link-accepted', cert: 1, store: 'vn-gov' }] : []);
        expect(parseCertificate(certificates[2]!).subjectDN).toBe(
          viaG1 ? 'CN=Co quan chung thuc so chuyen dung Chinh phu (RootCA),O=Ban Co yeu Chinh phu,C=VN' : 'CN=RootCA chuyên dùng Chính phủ G2,O=Ban Cơ yếu Chính phủ,C=VN',
        );
      }
    }
    expect(g1).toEqual(['vn-07#0', 'vn-07#1', 'vn-09#2', 'vn-09#3', 'vn-09#4', 'vn-09#5']);
  });

  it('in the gathered facts, a chain note names a certificate of the signature\'s own list, as the path does', async () => {
    // Nothing trusted: every path ends where no issuer is found (or at a self-signed root), which the note names.
    let tsaChains = 0;
    for (const { file } of files) {
      const facts = await gatherFacts(new Uint8Array(readFileSync(join(corpusDir(), 'pdfs', file))), { trust: [], revocation: 'off', at: AT });
      for (const s of facts.signatures) {
        for (const chain of [s.chain, s.timestamp?.chain ?? null]) {
          if (!chain) continue;
          const ends = chain.notes.filter((n) => n.kind === 'issuer-not-found' || n.kind === 'self-signed-not-anchor');
          expect({ file, ends: ends.map((n) => n.cert) }).toEqual({ file, ends: [chain.path[chain.path.length - 1]] });
        }
        // The TSA's path sits after the signer's certificates in the list: its indexes had to be moved.
        if (s.timestamp?.chain) {
          tsaChains++;
          expect(s.timestamp.chain.path[0]).toBe(s.timestamp.tsaIndex);
          expect(s.timestamp.chain.path[0]).toBeGreaterThan(0);
        }
      }
    }
    expect(tsaChains).toBeGreaterThan(0);
  });

  it('cannot chain them with the roots alone (the intermediates are not embedded)', async () => {
    const rootsOnly = trustFromCertificates([...trustProfile('vn-gov').anchors], 'roots');
    for (const { signatures } of files) {
      for (const s of signatures) {
        const { chain } = await buildChain(s.signer!, s.certificates, rootsOnly, AT);
        expect(chain.status).toBe('unknown');
        expect(chain.notes).toContainEqual({ kind: 'issuer-not-found', cert: 0 });
      }
    }
  });

  it('chains the VGCA time-stamping authorities directly to the roots for the timestamping purpose', async () => {
    const gov = trustProfile('vn-gov');
    let tokens = 0;
    for (const { file, signatures } of files) {
      for (const s of signatures) {
        if (!s.timestamp) continue;
        tokens++;
        const { chain } = await buildChain(s.timestamp.signer!, s.timestamp.certificates, gov, AT, { purpose: 'timestamping' });
        expect(chain.status).toBe('trusted');
        expect(chain.path).toEqual([0, 1]);
        // vn-08's TSA certificate ("Máy chủ cấp dấu thời gian 02" under G1) ended before the validation time.
        expect(chain.problems).toEqual(file.startsWith('vn-08') ? [{ kind: 'expired', cert: 0, at: AT.toISOString() }] : []);
      }
    }
    expect(tokens).toBe(20); // every signature but the three of vn-06 carries one
  });
});
