import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A vendor's project type-checks against the built declarations (`dist`), as
 * an installed package gives them: `skipLibCheck: false`, so kyso's .d.ts and
 * everything they pull in are checked too. `@ts-expect-error` lines are the
 * attacks: each must be an error, or tsc reports the directive unused.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');

let dir: string;

beforeAll(() => {
  // The declarations are those of the sources under test (incremental: about a second when nothing changed).
  execFileSync(process.execPath, [tsc, '-b', join(root, 'packages/elements')], { stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'kyso-typings-'));
  mkdirSync(join(dir, 'node_modules/@kyso'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  symlinkSync(join(root, 'packages/elements'), join(dir, 'node_modules/@kyso/elements'), 'dir');
  symlinkSync(join(root, 'packages/core'), join(dir, 'node_modules/@kyso/core'), 'dir');
  symlinkSync(join(root, 'node_modules/@types/react'), join(dir, 'node_modules/@types/react'), 'dir');
  symlinkSync(join(root, 'node_modules/vue'), join(dir, 'node_modules/vue'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'vendor-app', private: true, type: 'module' }));
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs tsc on `files` with `options`; returns its diagnostics (empty: the project type-checks). */
function typeCheck(name: string, files: Record<string, string>, options: Record<string, unknown>): string {
  const sub = join(dir, name);
  mkdirSync(sub, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(sub, file), text);
  writeFileSync(join(sub, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: [], ...options },
    files: Object.keys(files),
  }));
  const run = spawnSync(process.execPath, [tsc, '-p', sub], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`.trim();
}

const EVENTS = `
import '@kyso/elements/verify-badge';
import '@kyso/elements/sign-document';
import type { ErrorDetail, KysoEventMap, SignedDetail } from '@kyso/elements';

const badge = document.querySelector('verify-badge')!;
badge.addEventListener('kyso-verified', (e) => {
  const count: number = e.detail.signatures.length;
  return count;
});
// @ts-expect-error -- the report has no such field: the detail is typed, not any
badge.addEventListener('kyso-verified', (e) => e.detail.nope);

const signer = document.createElement('sign-document');
signer.addEventListener('kyso-signed', (e) => {
  const bytes: Uint8Array = e.detail.bytes;
  return bytes;
});
signer.addEventListener('kyso-before-sign', (e) => e.preventDefault());
document.addEventListener('kyso-error', (e) => {
  const detail: ErrorDetail = e.detail;
  const code: string = detail.code;
  return [code, detail.cause];
});
document.body.addEventListener('kyso-page-click', (e) => e.detail.page + e.detail.x);
window.addEventListener('load', () => undefined);
// @ts-expect-error -- a code that does not exist
const wrong: ErrorDetail['code'] = 'ERR_NOT_A_CODE';
export type Signed = KysoEventMap['kyso-signed'] extends CustomEvent<SignedDetail> ? true : never;
export { wrong };
`;

const REACT = `
import '@kyso/elements/sign-document';
import '@kyso/elements/verify-badge';
import type {} from '@kyso/elements/react';

export const signer = (
  <sign-document signature-role="issue" src="/doc.pdf" level="B-T" tsa-url="/tsa" className="wide"
    onkyso-signed={(e) => e.detail.bytes.byteLength}
    onkyso-error={(e) => console.log(e.detail.code, e.detail.cause)} />
);
export const badge = <verify-badge src="/doc.pdf" trust-profile="vn-gov" onkyso-verified={(e) => e.detail.signatures.length} />;
// @ts-expect-error -- not a Decree 30 role
export const wrongRole = <sign-document signature-role="boss" />;
// @ts-expect-error -- the report has no such field
export const wrongDetail = <verify-badge onkyso-verified={(e) => e.detail.nope} />;
`;

const VUE = `
import type { GlobalComponents } from 'vue';
import type {} from '@kyso/elements/vue';

type Props<T extends keyof GlobalComponents> = InstanceType<GlobalComponents[T]>['$props'];
export const signer: Props<'sign-document'> = {
  'signature-role': 'issue', src: '/doc.pdf',
  onKysoSigned: (e) => e.detail.bytes.byteLength,
  onKysoError: (e) => e.detail.code,
};
export const badge: Props<'verify-badge'> = { 'trust-profile': 'none', onKysoVerified: (e) => e.detail.signatures.length };
// @ts-expect-error -- not a Decree 30 role
export const wrongRole: Props<'sign-document'> = { 'signature-role': 'boss' };
// @ts-expect-error -- the report has no such field
export const wrongDetail: Props<'verify-badge'> = { onKysoVerified: (e) => e.detail.nope };
`;

describe('the elements\' typings, as a vendor project sees them (built .d.ts, skipLibCheck false)', () => {
  it.each(['node16', 'bundler'] as const)('every kyso-* event is typed on elements, document and body (moduleResolution %s)', (resolution) => {
    const module = resolution === 'node16' ? 'node16' : 'esnext';
    expect(typeCheck(`events-${resolution}`, { 'events.ts': EVENTS }, { lib: ['ES2022', 'DOM', 'DOM.Iterable'], module, moduleResolution: resolution })).toBe('');
  });

  it('React 19: the five tags in JSX.IntrinsicElements, with properties, attributes and on<event> listeners typed', () => {
    expect(typeCheck('react', { 'app.tsx': REACT }, { lib: ['ES2022', 'DOM'], module: 'esnext', moduleResolution: 'bundler', jsx: 'react-jsx' })).toBe('');
  });

  it('Vue 3: the five tags in GlobalComponents, with props and @kyso-* listeners typed', () => {
    expect(typeCheck('vue', { 'app.ts': VUE }, { lib: ['ES2022', 'DOM'], module: 'esnext', moduleResolution: 'bundler' })).toBe('');
  });
});
