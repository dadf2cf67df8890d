import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLargeSample, ensureSamples, run, SAMPLE_NAMES, type SampleName } from '../src/index.js';

let samples: Record<SampleName, string>;
const temps: string[] = [];
beforeAll(async () => {
  samples = await ensureSamples();
});
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

const qpdfCheck = async (file: string, extra: string[] = []) => (await run('qpdf', [...extra, '--check', file])).stdout.toString();
const text = async (file: string) => (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout.toString('utf8');
const latin1 = async (file: string) => (await readFile(file)).toString('latin1');

describe('sample PDFs', () => {
  it('pass qpdf --check without warnings, except the encrypted ones which need the password', async () => {
    for (const n of SAMPLE_NAMES) {
      const extra = n.startsWith('encrypted') ? ['--password=user'] : [];
      const out = await qpdfCheck(samples[n], extra);
      expect(out, n).toContain('No syntax or stream encoding errors found');
    }
  });

  it('writes the Vietnamese decision with an embedded DejaVu subset that extracts back as text', async () => {
    const t = (await text(samples.vietnamese)).normalize('NFC');
    for (const s of ['ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG', 'Số: 15/QĐ-UBND', 'Đà Nẵng, ngày 05 tháng 01 năm 2026', 'QUYẾT ĐỊNH', 'CHỦ TỊCH', 'Nguyễn Văn Đức']) {
      expect(t).toContain(s);
    }
    const fonts = (await run('pdffonts', [samples.vietnamese])).stdout.toString();
    expect(fonts).toMatch(/DejaVuSans.*yes\s+yes/);
  });

  it('covers the cross-reference flavours', async () => {
    expect(await latin1(samples['classic-xref'])).toMatch(/\nxref\n0 \d+\n/);
    expect(await latin1(samples['xref-stream'])).toContain('/Type /XRef');
    expect(await latin1(samples['xref-stream'])).toContain('/Type /ObjStm');
    const hybrid = await latin1(samples.hybrid);
    expect(hybrid).toMatch(/trailer\n<< [^>]*\/XRefStm \d+/);
    expect(await text(samples.hybrid)).toContain('hybrid-reference file');
    expect(await qpdfCheck(samples.linearized)).toContain('File is linearized');
  });

  it('has a visible empty signature field SigLeader on page 1', async () => {
    const json = JSON.parse((await run('qpdf', ['--json', '--json-key=acroform', samples['acroform-empty-field']])).stdout.toString()) as {
      acroform: { fields: Array<{ fullname: string; fieldtype: string; pageposfrom1: number }> };
    };
    expect(json.acroform.fields).toHaveLength(1);
    expect(json.acroform.fields[0]).toMatchObject({ fullname: 'SigLeader', fieldtype: '/Sig', pageposfrom1: 1 });
    expect(await latin1(samples['acroform-empty-field'])).toMatch(/\/Rect \[ 340 120 540 200 \]/);
  });

  it('has one incremental update with /Prev', async () => {
    const s = await latin1(samples.incremental);
    expect(s.match(/%%EOF/g)).toHaveLength(2);
    expect(s).toMatch(/\/Prev \d+/);
    const info = (await run('pdfinfo', [samples.incremental])).stdout.toString();
    expect(info).toContain('kyso TEST incremental, revision 2');
  });

  it('covers PDF 2.0, 120 pages, rotation with a crop box, and encryption', async () => {
    expect((await latin1(samples.pdf20)).startsWith('%PDF-2.0')).toBe(true);
    expect((await run('qpdf', ['--show-npages', samples['pages-120']])).stdout.toString().trim()).toBe('120');
    const rotated = (await run('pdfinfo', ['-box', samples.rotated])).stdout.toString();
    expect(rotated).toMatch(/Page rot:\s+90/);
    expect(rotated).toMatch(/CropBox:\s+36\.00\s+36\.00\s+559\.28\s+805\.89/);
    for (const n of ['encrypted-aes256', 'encrypted-rc4'] as const) {
      await expect(run('qpdf', ['--check', samples[n]])).rejects.toThrow(/password/);
      expect(await qpdfCheck(samples[n], ['--password=owner'])).toContain('No syntax or stream encoding errors found');
    }
    expect(await qpdfCheck(samples['encrypted-aes256'], ['--password=user'])).toMatch(/R = 6/);
    expect(await qpdfCheck(samples['encrypted-rc4'], ['--password=user'])).toMatch(/R = 3/);
  });

  it.each([1_000_000, 8 * 1024 * 1024])('streams a large sample of the asked size (%i bytes, at most 64 KiB more) that qpdf accepts', async (size) => {
    const dir = await mkdtemp(join(tmpdir(), 'kyso-large-'));
    temps.push(dir);
    const path = await ensureLargeSample(size, { dir });
    const { size: written } = await stat(path);
    expect(written).toBeGreaterThanOrEqual(size);
    expect(written).toBeLessThanOrEqual(size + 64 * 1024);
    expect(await qpdfCheck(path)).toContain('No syntax or stream encoding errors found');
    expect(await ensureLargeSample(size, { dir })).toBe(path);
  });
});
