/**
 * Generates the documents Storybook shows ({@link STORY_FIXTURES}) into
 * `.fixtures/stories/`: real PDFs signed by kyso core with the test PKI's
 * PKCS#12 keys, revocation data embedded in a /DSS so that a page can verify
 * them strictly without any network, and the broken variants made from them.
 * Deterministic apart from ECDSA's random nonces (the P-256 file).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sign, type SignOptions } from '@kyso/core';
import { Pkcs12Adapter } from '@kyso/adapters';
import { sealImage, signatureImage } from '../images.js';
import { dejaVu } from '../samples/builders.js';
import { fixturesDir } from '../paths.js';
import { ensurePki, type TestPki } from '../pki/generate.js';
import type { EntityName } from '../pki/profile.js';
import { ensureLargeSample, ensureSamples } from '../samples/ensure.js';
import {
  STORY_EXPIRED_SIGNING_TIME, STORY_FIXTURES, STORY_FIXTURES_DIR, STORY_FIXTURES_VERSION, STORY_IMAGES, STORY_KEYS, STORY_LARGE_MIN_BYTES,
  STORY_P12_PASSWORD, STORY_SIGNING_TIME, STORY_TRUST_FILE, type StoryFixtureName,
} from './catalog.js';
import { appendAnnotation, appendDss, appendPageContentChange } from './updates.js';

/** Options of {@link ensureStoryFixtures}. */
export interface EnsureStoryFixturesOptions {
  /** Output folder; default `<repo root>/.fixtures/stories`. */
  readonly dir?: string;
  /** Rebuild even when the cached files are current. */
  readonly force?: boolean;
}

/** Where each story document was written. */
export type StoryFixturePaths = Readonly<Record<StoryFixtureName, string>> & { readonly dir: string; readonly trust: string };

const MANIFEST = 'manifest.json';

/**
 * The story documents, generated on first use and cached: rebuilt when the
 * recipe version or the test PKI changed, or a file is missing. Takes a few
 * seconds (the large file dominates).
 */
export async function ensureStoryFixtures(options: EnsureStoryFixturesOptions = {}): Promise<StoryFixturePaths> {
  const dir = options.dir ?? join(fixturesDir(), STORY_FIXTURES_DIR);
  const pki = await ensurePki();
  const stamp = { version: STORY_FIXTURES_VERSION, pki: createHash('sha256').update(pki.rootDer).digest('hex') };
  if (options.force || !(await isCurrent(dir, stamp))) await generateStoryFixtures(dir, pki, stamp);
  return pathsIn(dir);
}

function pathsIn(dir: string): StoryFixturePaths {
  const out: Record<string, string> = { dir, trust: join(dir, STORY_TRUST_FILE) };
  for (const [name, f] of Object.entries(STORY_FIXTURES)) out[name] = join(dir, f.file);
  return out as StoryFixturePaths;
}

async function isCurrent(dir: string, stamp: object): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as { stamp?: unknown };
    if (JSON.stringify(manifest.stamp) !== JSON.stringify(stamp)) return false;
  } catch {
    return false;
  }
  const files = [...Object.values(STORY_FIXTURES).map((f) => f.file), STORY_TRUST_FILE, ...Object.values(STORY_KEYS), ...Object.values(STORY_IMAGES)];
  return files.every((f) => existsSync(join(dir, f)));
}

/** Builds every story document into `dir` (through a temporary folder, so readers never see half a set). */
async function generateStoryFixtures(dir: string, pki: TestPki, stamp: object): Promise<void> {
  // The appearance font is passed explicitly (DejaVu Sans, full Vietnamese coverage), so the generator does not
  // depend on which copy of core (sources or build) wired its default font loader.
  const font = await dejaVu('regular');
  const samples = await ensureSamples();
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(join(tmp, 'keys'), { recursive: true });
  await mkdir(join(tmp, 'images'), { recursive: true });
  try {
    const read = async (p: string) => new Uint8Array(await readFile(p));
    const vietnamese = await read(samples.vietnamese);
    const english = await read(samples.simple);
    const adapters = new Map<EntityName, Pkcs12Adapter>();
    const adapter = async (who: EntityName) => {
      let a = adapters.get(who);
      if (!a) adapters.set(who, (a = await Pkcs12Adapter.open(await read(pki.entity(who).p12Path!), STORY_P12_PASSWORD)));
      return a;
    };
    /** A visible Decree 30 approval (signature image and text) at a fixed place and time. */
    const signAs = async (pdf: Uint8Array, who: EntityName, extra: Partial<SignOptions> = {}) =>
      sign(pdf, {
        adapter: await adapter(who),
        signingTime: new Date(who === 'expired' ? STORY_EXPIRED_SIGNING_TIME : STORY_SIGNING_TIME),
        appearance: { role: 'approve', image: { bytes: signatureImage() }, showText: true, font },
        placement: { page: 1, rect: [330, 120, 200, 80] },
        ...extra,
      });
    // Validation data goes in FIRST: a /DSS with both CRLs of the test PKI (the intermediate's covers every leaf and
    // lists `revoked`; the root's covers the intermediate) and the chain, appended before signing. The signature then
    // covers it, the last revision is signed, and strict offline verification has what it needs (ETSI EN 319 142-1
    // §5.4.2 allows /DSS in any revision; kyso reads it whatever its place). Fixtures show one defect each.
    const withDss = (pdf: Uint8Array) => appendDss(pdf, { crls: [pki.crlDer, pki.rootCrlDer], certs: pki.entity('leader').chainDer });
    const files: Record<StoryFixtureName, Uint8Array> = {} as Record<StoryFixtureName, Uint8Array>;
    const vietnameseLt = await withDss(vietnamese);
    const englishLt = await withDss(english);

    files.valid = await signAs(vietnameseLt, 'leader');
    files.validEnglish = await signAs(englishLt, 'p256');
    const approved = await signAs(vietnameseLt, 'leader', { placement: { page: 1, rect: [330, 200, 200, 80] } });
    files.approveAndIssue = await signAs(approved, 'seal', { appearance: { role: 'issue', image: { bytes: sealImage() }, font }, placement: undefined });
    // DocMDP P=3 (ISO 32000-2 §12.8.2.2.2) is what permits annotations after a certification signature.
    const certified = await signAs(vietnameseLt, 'leader', { certify: 3 });
    files.allowedChanges = await appendAnnotation(certified, 'Đã xem — reviewed');
    files.modified = await appendPageContentChange(files.valid);
    files.tampered = tamper(files.valid, vietnamese.length);
    files.revoked = await signAs(englishLt, 'revoked');
    files.expired = await signAs(englishLt, 'expired');
    files.untrusted = await signAs(englishLt, 'untrusted');
    files.indeterminate = await signAs(vietnamese, 'leader');
    files.unsigned = vietnamese;
    files.encrypted = await read(samples['encrypted-aes256']);
    files.garbage = new TextEncoder().encode('This file is not a PDF: a story about a broken upload.\n'.repeat(20));
    const large = await read(await ensureLargeSample(STORY_LARGE_MIN_BYTES));
    files.large = await signAs(await withDss(large), 'leader', { appearance: undefined, placement: undefined });

    for (const [name, bytes] of Object.entries(files)) await writeFile(join(tmp, STORY_FIXTURES[name as StoryFixtureName].file), bytes);
    await writeFile(join(tmp, STORY_TRUST_FILE), pki.rootDer);
    await writeFile(join(tmp, STORY_IMAGES.signature), signatureImage());
    await writeFile(join(tmp, STORY_IMAGES.seal), sealImage());
    for (const [who, file] of Object.entries(STORY_KEYS)) await copyFile(pki.entity(who as EntityName).p12Path!, join(tmp, file));
    await writeFile(join(tmp, MANIFEST), JSON.stringify({ stamp, files: Object.fromEntries(Object.entries(STORY_FIXTURES).map(([n, f]) => [n, f.file])) }, null, 2) + '\n');
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * A copy of `pdf` with one byte of its first `prefix` bytes (the original
 * sample, inside the first signed range) changed: the first digit of the page's /MediaBox, so the file still opens and renders
 * (the viewer shows the document; the signature must say it was altered).
 */
function tamper(pdf: Uint8Array, prefix: number): Uint8Array {
  const out = pdf.slice();
  const text = new TextDecoder('latin1').decode(out.subarray(0, prefix));
  const at = text.indexOf('/MediaBox');
  if (at < 0) throw new Error('testkit stories: no /MediaBox to tamper with');
  const digit = text.slice(at).search(/\d/) + at;
  out[digit] = out[digit] === 0x39 ? 0x38 : out[digit]! + 1;
  return out;
}
