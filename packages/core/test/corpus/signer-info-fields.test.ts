import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSignedDataPlain } from '../../src/verify/cms/signed-data.js';
import { corpusDir } from '../helpers/corpus.js';
import { rawSignatures } from '../helpers/signed-pdf.js';
import { cmsBothWays } from '../verify/cms/cms-both-ways.js';

// Issue 16: speed is never bought with a different reading. The SignerInfo of every CMS is decoded field by
// field, from a cache of the parts met before; on every signature, document timestamp and signature timestamp
// token of the shared corpus (signed by other tools) that reading must equal asn1js decoding the SignerInfos whole.
const pdfs = readdirSync(corpusDir(), { recursive: true }).map(String).filter((f) => f.toLowerCase().endsWith('.pdf')).sort();

/** The CMSs of a file: each /Contents, and the RFC 3161 token among a SignerInfo's unsigned attributes. */
function cmsOf(pdf: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const { cms } of rawSignatures(pdf)) {
    out.push(cms);
    try {
      const token = parseSignedDataPlain(cms).signer.unsignedAttributes.find((a) => a.oid === '1.2.840.113549.1.9.16.2.14')?.values[0];
      if (token) out.push(token.valueBeforeDecodeView.slice());
    } catch {
      // an unreadable CMS has no token to read; the comparison below still covers it
    }
  }
  return out;
}

describe('corpus: every CMS reads the same with its SignerInfo decoded field by field as decoded whole', () => {
  it('has CMSs to read', () => {
    expect(pdfs.flatMap((name) => cmsOf(new Uint8Array(readFileSync(join(corpusDir(), name))))).length).toBeGreaterThan(20);
  });

  it.each(pdfs)('%s', (name) => {
    for (const der of cmsOf(new Uint8Array(readFileSync(join(corpusDir(), name))))) {
      const { fast, cached, plain } = cmsBothWays(der);
      expect(fast).toEqual(plain);
      expect(cached).toEqual(plain);
    }
  });
});
