import { memorySource, type ByteSource } from '../../../src/pdf/byte-source.js';
import { withAesCipher } from '../../../src/pdf/encryption/index.js';
import { digestBytes, examineCms, examineTimestamp, type CmsExamination, type TimestampExamination } from '../../../src/verify/cms/index.js';
import { findSignatures, hashByteRange, readRevisions, type FoundSignature } from '../../../src/verify/structure/index.js';
import type { RevisionFacts } from '../../../src/verify/facts.js';

export interface Examined {
  readonly found: FoundSignature;
  readonly cms: CmsExamination | null;
  readonly timestamp: TimestampExamination | null;
}

/** The structure and CMS stages chained the way the verifier does. */
export async function examineFile(bytes: Uint8Array | ByteSource, password?: string): Promise<{ revisions: RevisionFacts[]; signatures: Examined[] }> {
  const source = bytes instanceof Uint8Array ? memorySource(bytes) : bytes;
  // As verify() opens: once more with AES loaded when the document needs it (pdf/encryption/aes.ts).
  const { revisions, found } = await withAesCipher(() => {
    const revisions = readRevisions(source);
    return { revisions, found: findSignatures(source, revisions, password === undefined ? {} : { password }) };
  });
  const signatures: Examined[] = [];
  for (const f of found) {
    const br = f.byteRange.byteRange;
    if (!f.contents || !br || f.byteRange.problems.includes('missing')) {
      signatures.push({ found: f, cms: null, timestamp: null });
      continue;
    }
    const cms = await examineCms(f.contents, (h) => hashByteRange(source, br, h), {
      documentTimestamp: f.kind === 'document-timestamp',
      content: () => {
        const parts = [source.read(br[0]!, br[1]!), source.read(br[2]!, br[3]!)];
        const out = new Uint8Array(parts[0]!.length + parts[1]!.length);
        out.set(parts[0]!, 0);
        out.set(parts[1]!, parts[0]!.length);
        return out;
      },
    });
    const token = cms.signatureTimestampToken;
    const value = cms.signatureValue;
    const timestamp = token && value ? await examineTimestamp(token, (h) => digestBytes(h, value)) : null;
    signatures.push({ found: f, cms, timestamp });
  }
  return { revisions, signatures };
}
