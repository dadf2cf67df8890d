import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A Node-only TypeScript project (`lib: ["ES2022"]`, no DOM, `skipLibCheck:
 * false`, `@types/node`) type-checks against the published declarations of
 * @kyso/core and @kyso/adapters: they name no DOM type (WebCrypto's come
 * through `globalThis.crypto`), and pkijs, whose declarations need the DOM,
 * stays out of them (`stripInternal`, kyso's internal decoded forms).
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const PACKAGES = ['core', 'adapters'];

let dir: string;

/** Every entry a package exports, as a vendor's import names it. */
function entries(pkg: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  return Object.keys(manifest.exports).filter((k) => !k.endsWith('.json')).map((k) => (k === '.' ? manifest.name : `${manifest.name}${k.slice(1)}`));
}

beforeAll(() => {
  execFileSync(process.execPath, [tsc, '-b', ...PACKAGES.map((p) => join(root, 'packages', p))], { stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'kyso-node-types-'));
  mkdirSync(join(dir, 'node_modules/@kyso'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  for (const p of PACKAGES) symlinkSync(join(root, 'packages', p), join(dir, 'node_modules/@kyso', p), 'dir');
  symlinkSync(join(root, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node-vendor', private: true, type: 'module' }));
  const specs = PACKAGES.flatMap(entries);
  writeFileSync(join(dir, 'index.ts'), [
    ...specs.map((s, i) => `import * as entry${i} from '${s}';`),
    `import { sign, verify, type SigningAdapter, type VerificationReport } from '@kyso/core';`,
    `import { fromPkcs8Pem } from '@kyso/adapters';`,
    `export async function check(pdf: Uint8Array, pem: string, cert: Uint8Array): Promise<VerificationReport> {`,
    `  const adapter: SigningAdapter = await fromPkcs8Pem(pem, cert);`,
    `  return verify(await sign(pdf, { adapter }));`,
    `}`,
    `export const all: unknown[] = [${specs.map((_, i) => `entry${i}`).join(', ')}];`,
  ].join('\n'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a Node-only TypeScript project type-checks against @kyso/core and @kyso/adapters (no DOM library, skipLibCheck false)', () => {
  it.each([['node16', 'node16'], ['bundler', 'esnext']] as const)('moduleResolution %s', (moduleResolution, module) => {
    writeFileSync(join(dir, `tsconfig.${moduleResolution}.json`), JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], module, moduleResolution, strict: true, skipLibCheck: false, noEmit: true, types: ['node'] },
      files: ['index.ts'],
    }));
    const run = spawnSync(process.execPath, [tsc, '-p', join(dir, `tsconfig.${moduleResolution}.json`)], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('');
    expect(run.status).toBe(0);
  });
});
