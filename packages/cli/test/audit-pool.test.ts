import { describe, expect, it } from 'vitest';
import { verifyInWorkers, type AuditFile } from '../src/audit/pool.js';

const DYING = new URL('./helpers/dying-audit-worker.mjs', import.meta.url);
const config = { trust: [], revocation: 'off' as const, at: '2026-07-01T00:00:00.000Z' };
const filesNamed = (names: string[]): AuditFile[] => names.map((n) => ({ file: `/nowhere/${n}`, path: n }));

describe('kyso audit worker pool', () => {
  it('keeps several files in flight per worker and returns the rows in the order of the files', async () => {
    const names = Array.from({ length: 40 }, (_v, i) => `f${String(i).padStart(2, '0')}.pdf`);
    const done: number[] = [];
    const rows = await verifyInWorkers(filesNamed(names), { jobs: 2, config, workerUrl: DYING, onRow: (_r, n) => done.push(n) });
    expect(rows.map((r) => [r.path, r.error])).toEqual(names.map((n) => [n, null]));
    expect(done).toEqual(names.map((_n, i) => i + 1));
    expect(Math.max(...rows.map((r) => (r as unknown as { held: number }).held))).toBeGreaterThan(1);
  });

  it('gives ERR_INTERNAL only to the file that kills a worker; the files it held with it are verified again, one at a time', async () => {
    const names = ['a.pdf', 'b.pdf', 'crash-1.pdf', 'c.pdf', 'd.pdf', 'e.pdf', 'crash-2.pdf', 'f.pdf', 'g.pdf', 'h.pdf'];
    const rows = await verifyInWorkers(filesNamed(names), { jobs: 2, config, inFlight: 4, workerUrl: DYING });
    expect(rows.map((r) => [r.path, r.error])).toEqual(names.map((n) => [n, n.startsWith('crash') ? 'ERR_INTERNAL' : null]));
  });

  it('still works with one file in flight per worker', async () => {
    const names = ['a.pdf', 'crash.pdf', 'b.pdf'];
    const rows = await verifyInWorkers(filesNamed(names), { jobs: 1, config, inFlight: 1, workerUrl: DYING });
    expect(rows.map((r) => r.error)).toEqual([null, 'ERR_INTERNAL', null]);
  });
});
