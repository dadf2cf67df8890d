import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const all = files(src).map((p) => ({ path: relative(src, p), text: readFileSync(p, 'utf8') }));
const imports = (text: string) => [...text.matchAll(/^(?:import|export)[^;]*?from\s+['"]([^'"]+)['"]/gms)].map((m) => m[1]!);

describe('core architecture invariants', () => {
  it('runs in a Web Worker: no Node built-ins outside src/node/ and the Node hash engine', () => {
    const offenders = all.filter((f) => !f.path.startsWith('node/') && f.path !== 'crypto/hash-engine-node.ts')
      .filter((f) => imports(f.text).some((i) => i.startsWith('node:') || ['fs', 'path', 'crypto', 'zlib', 'os'].includes(i)))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('never touches the DOM, and reaches the network only through a fetch the caller can inject', () => {
    const dom = all.filter((f) => /\bwindow\.|\bdocument\.(createElement|body|querySelector|getElementById)|\blocalStorage\b|\bXMLHttpRequest\b/.test(f.text));
    expect(dom.map((f) => f.path)).toEqual([]);
    // The only default is in finish.ts: globalThis.fetch when the caller injects none. The worker's files name
    // `fetch` as the method that forwards a request to the caller's side (protocol.ts, wire-fetch.ts), and the
    // worker loads its own bundled font asset (api.ts): no OCSP, CRL or TSA request starts there.
    const allowed = new Set(['sign/finish.ts', 'crypto/timestamp-client.ts', 'worker/api.ts', 'worker/protocol.ts', 'worker/wire-fetch.ts']);
    const globalFetch = all.filter((f) => /globalThis\.fetch|(^|[^.\w])fetch\(/m.test(f.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')));
    expect(globalFetch.map((f) => f.path).filter((p) => !allowed.has(p))).toEqual([]);
    // ...and the font loader is the worker's only direct fetch: a same-origin asset URL given by the page.
    expect(all.find((f) => f.path === 'worker/api.ts')!.text.match(/(^|[^.\w])fetch\(/gm)).toHaveLength(1);
  });

  it('the pdf layer knows no cryptography, and nothing in core imports adapters or elements', () => {
    const pdfToCrypto = all.filter((f) => f.path.startsWith('pdf/') && imports(f.text).some((i) => i.includes('/crypto/') || i.startsWith('pkijs') || i.startsWith('asn1js')));
    expect(pdfToCrypto.map((f) => f.path)).toEqual([]);
    const outward = all.filter((f) => imports(f.text).some((i) => i.startsWith('@kyso/')));
    expect(outward.map((f) => f.path)).toEqual([]);
  });

  it('has no eval or Function constructor (strict CSP)', () => {
    expect(all.filter((f) => /\beval\(|new Function\(/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('signing never loads the validation code: the static imports of the public entry reach no verifier or LTV module', () => {
    const byPath = new Map(all.map((f) => [f.path, f.text]));
    const reached = new Set<string>();
    const visit = (path: string): void => {
      if (reached.has(path) || !byPath.has(path)) return;
      reached.add(path);
      // Static imports and re-exports that survive compilation (not `import type`); `import('./x.js')`
      // is the lazy edge this test is about.
      const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
      const runtime = [...byPath.get(path)!.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?from\s+['"]([^'"]+)['"]/gms)].map((m) => m[1]!);
      for (const spec of runtime.filter((i) => i.startsWith('.'))) {
        const parts = (dir + spec).replace(/\.js$/, '.ts').split('/');
        const out: string[] = [];
        for (const part of parts) part === '..' ? out.pop() : part !== '.' && out.push(part);
        visit(out.join('/'));
      }
    };
    visit('index.ts');
    visit('node/index.ts');
    // What validation code the entry may hold: the pure policy and its messages, trust stores, the /DSS writer, and
    // the modification policy's rule objects (plain data and predicates, no parser or crypto: integrators compose
    // their policy synchronously).
    const allowed = /^(verify\/(policy|messages|report|facts)\.ts|verify\/trust\/|ltv\/(dss-writer|appended-source)\.ts|verify\/modifications\/(policy|permissions|flags|step-context)\.ts)/;
    const heavy = [...reached].filter((p) => (p.startsWith('verify/') || p.startsWith('ltv/')) && !allowed.test(p));
    expect(heavy).toEqual([]);
    expect(reached.has('sign/sign.ts')).toBe(true);
  });
});
