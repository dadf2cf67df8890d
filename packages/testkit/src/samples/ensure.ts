import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.js';
import { fixturesDir } from '../paths.js';
import {
  buildAcroFormEmptyField, buildPages, buildPdf20, buildRotated, buildSimple, buildVietnamese,
} from './builders.js';
import { appendInfoUpdate, buildHybrid } from './handwritten.js';
import { isLargeSampleReady, writeLargePdf } from './large.js';

/** Bumped whenever a sample would change; a cache with another version is rebuilt. */
export const SAMPLES_GENERATOR_VERSION = 3;

export const SAMPLE_NAMES = [
  'simple',
  'vietnamese',
  'classic-xref',
  'xref-stream',
  'hybrid',
  'linearized',
  'acroform-empty-field',
  'incremental',
  'pdf20',
  'pages-120',
  'rotated',
  'encrypted-aes256',
  'encrypted-rc4',
] as const;
/** The generated sample PDFs (the large one is separate: {@link ensureLargeSample}). */
export type SampleName = (typeof SAMPLE_NAMES)[number];

/** User and owner passwords of the encrypted samples. */
export const SAMPLE_PASSWORDS = { user: 'user', owner: 'owner' } as const;

/** Options for {@link ensureSamples}. */
export interface EnsureSamplesOptions {
  /** Output folder; default `<repo root>/.fixtures/samples`. */
  readonly dir?: string;
  readonly force?: boolean;
}

const pathsIn = (dir: string) =>
  Object.fromEntries(SAMPLE_NAMES.map((n) => [n, join(dir, `${n}.pdf`)])) as Record<SampleName, string>;

/**
 * The sample PDFs, generated on first use into `.fixtures/samples/` and
 * reused while the manifest carries the current generator version. All but
 * the encrypted ones pass `qpdf --check`; all but `encrypted-aes256` (qpdf picks a random AES-256 file key) are byte-deterministic.
 */
export async function ensureSamples(options: EnsureSamplesOptions = {}): Promise<Record<SampleName, string>> {
  const dir = options.dir ?? join(fixturesDir(), 'samples');
  const manifest = join(dir, 'manifest.json');
  if (!options.force && existsSync(manifest)) {
    try {
      const m = JSON.parse(await readFile(manifest, 'utf8')) as { version?: number };
      if (m.version === SAMPLES_GENERATOR_VERSION && SAMPLE_NAMES.every((n) => existsSync(join(dir, `${n}.pdf`)))) {
        return pathsIn(dir);
      }
    } catch {
      // unreadable manifest: rebuild
    }
  }
  await generateSamples(dir);
  return pathsIn(dir);
}

/** Builds every sample into `dir` (replacing the named files). */
export async function generateSamples(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  try {
    const put = (name: SampleName | string, bytes: Uint8Array) => writeFile(join(tmp, `${name}.pdf`), bytes);
    const simple = await buildSimple(false, 'simple');
    await put('simple', simple);
    await put('vietnamese', await buildVietnamese());
    await put('classic-xref', await buildPages(3, 'classic-xref', false));
    await put('xref-stream', await buildPages(3, 'xref-stream', true));
    await put('hybrid', buildHybrid());
    await put('acroform-empty-field', await buildAcroFormEmptyField());
    await put('incremental', appendInfoUpdate(await buildSimple(false, 'incremental'), 'incremental'));
    await put('pdf20', await buildPdf20());
    await put('pages-120', await buildPages(120, 'pages-120', false));
    await put('rotated', await buildRotated());

    await put('linearize-src', await buildPages(5, 'linearized', false));
    await run('qpdf', ['--linearize', '--deterministic-id', 'linearize-src.pdf', 'linearized.pdf'], { cwd: tmp });
    await rm(join(tmp, 'linearize-src.pdf'));
    // --static-id / --static-aes-iv are qpdf's switches for reproducible test output.
    await run('qpdf', ['--static-id', '--static-aes-iv', '--encrypt', 'user', 'owner', '256', '--', 'simple.pdf', 'encrypted-aes256.pdf'], { cwd: tmp });
    await run('qpdf', ['--static-id', '--allow-weak-crypto', '--encrypt', 'user', 'owner', '128', '--use-aes=n', '--', 'simple.pdf', 'encrypted-rc4.pdf'], { cwd: tmp });

    for (const n of SAMPLE_NAMES) await rename(join(tmp, `${n}.pdf`), join(dir, `${n}.pdf`));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ version: SAMPLES_GENERATOR_VERSION, samples: SAMPLE_NAMES }, null, 2) + '\n');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Options for {@link ensureLargeSample}. */
export interface EnsureLargeSampleOptions {
  /** Output folder; default `<repo root>/.fixtures/samples`. */
  readonly dir?: string;
}

/**
 * A large PDF (default 100 MiB) of uncompressed random-looking images,
 * streamed to disk and cached as `large-<sizeBytes>.pdf`. Returns its path.
 */
export async function ensureLargeSample(sizeBytes = 100 * 1024 * 1024, options: EnsureLargeSampleOptions = {}): Promise<string> {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) throw new RangeError('testkit: sizeBytes must be a positive integer');
  const dir = options.dir ?? join(fixturesDir(), 'samples');
  const path = join(dir, `large-${sizeBytes}.pdf`);
  if (!(await isLargeSampleReady(path, sizeBytes))) await writeLargePdf(path, sizeBytes);
  return path;
}
