/**
 * Mutators for the fuzz targets. Byte-level mutations find little in a PDF:
 * most break the cross-reference table and stop at the first check. So the
 * PDF mutator works on the file's structure, as an attacker edits a signed
 * file: objects swapped, an object redefined in a new revision (classic xref
 * table or xref stream + object stream), the ByteRange moved, the file cut,
 * xref sections duplicated, deep nesting, huge numbers, broken streams and
 * filters. DER, content-stream and JSON inputs have mutators of their own.
 * Everything is deterministic in the seed given.
 */
import type { InputKind } from './targets.js';

/** A small deterministic PRNG (xorshift32): the same seed gives the same mutation. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = (seed >>> 0) || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (this.s = x >>> 0);
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() / 0x100000000 < p;
  }
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const text = (b: Uint8Array): string => new TextDecoder('latin1').decode(b);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Inputs are kept below this size: large inputs only make each run slower. */
export const MAX_INPUT = 512 * 1024;

const HUGE_NUMBERS = ['99999999999999999999', '-2147483649', '2147483648', '4294967296', '9007199254740993', '1e308', '-0', '.', '-', '+.5', '1.2.3', '0000000000000000000000000001', '-99999999999999999999.5', '340282366920938463463374607431768211456'];
const TOKENS = ['endobj', 'endstream', 'stream\n', ' R ', ' obj ', 'trailer', 'xref\n', 'startxref\n', '%%EOF\n', '/Type /ObjStm', '/Prev 0', '/XRefStm 0', '<<', '>>', '[', ']', '(', ')', '<', '>', '/', '\\', '%', '\r', '\n', '0 0 R', '/Length 0', '/Filter /FlateDecode', '/Encrypt 1 0 R', 'null', 'true'];
const FILTERS = ['/FlateDecode', '/ASCIIHexDecode', '/ASCII85Decode', '/LZWDecode', '/RunLengthDecode', '/DCTDecode', '/Crypt', '/Nonsense', '[/FlateDecode /FlateDecode]', '[/ASCIIHexDecode /FlateDecode]', '[]', '42', '(FlateDecode)'];
const PARMS = ['<< /Predictor 12 /Columns 5 >>', '<< /Predictor 15 /Columns 0 >>', '<< /Predictor 2 /Colors 0 /BitsPerComponent 3 /Columns 99999999 >>', '<< /Predictor 10 /Columns -1 >>', '<< /EarlyChange 0 >>', '[null << /Predictor 12 /Columns 4 >>]', '<< /Predictor 12 /Columns 1e30 >>'];

// ---------------------------------------------------------------- byte level

function byteMutation(data: Uint8Array, r: Rng, others: readonly Uint8Array[]): Uint8Array {
  const n = data.length;
  switch (r.int(8)) {
    case 0: {
      const out = data.slice();
      for (let k = 1 + r.int(4); k > 0 && n > 0; k--) out[r.int(n)] ^= 1 << r.int(8);
      return out;
    }
    case 1: {
      const at = r.int(n + 1);
      const ins = Uint8Array.from({ length: 1 + r.int(16) }, () => r.pick([0, 0xff, 0x7f, 0x80, 0x30, 0x0a, 0x20, r.int(256)]));
      return concat(data.subarray(0, at), ins, data.subarray(at));
    }
    case 2: {
      const at = r.int(n);
      return concat(data.subarray(0, at), data.subarray(Math.min(n, at + 1 + r.int(64))));
    }
    case 3: {
      const at = r.int(n);
      const len = 1 + r.int(Math.min(256, Math.max(1, n - at)));
      const to = r.int(n + 1);
      return concat(data.subarray(0, to), data.subarray(at, at + len), data.subarray(to));
    }
    case 4: {
      if (!others.length) return data;
      const o = r.pick(others);
      const from = r.int(o.length);
      const at = r.int(n + 1);
      return concat(data.subarray(0, at), o.subarray(from, from + 1 + r.int(512)), data.subarray(at + r.int(64)));
    }
    case 5:
      return data.subarray(0, r.int(n + 1));
    case 6: {
      const at = r.int(n + 1);
      return concat(data.subarray(0, at), latin1(r.pick(TOKENS)), data.subarray(at));
    }
    default: {
      const out = data.slice();
      if (n) out[r.int(n)] = r.pick([0, 0xff, 0x7f, 0x80, 0x81, 0x84, 0x88, 0x30, 0x31, 0xa0]);
      return out;
    }
  }
}

// ---------------------------------------------------------------- PDF structure

interface ObjSpan {
  num: number;
  start: number;
  bodyStart: number;
  bodyEnd: number;
  end: number;
}

function objects(s: string): ObjSpan[] {
  const out: ObjSpan[] = [];
  const re = /(\d+)\s+(\d+)\s+obj\b/g;
  for (let m = re.exec(s); m && out.length < 2000; m = re.exec(s)) {
    const close = s.indexOf('endobj', re.lastIndex);
    if (close < 0) break;
    out.push({ num: Number(m[1]), start: m.index, bodyStart: re.lastIndex, bodyEnd: close, end: close + 6 });
    re.lastIndex = close + 6;
  }
  return out;
}

function lastTrailer(s: string): { root: string; size: number; startxref: number } {
  const sx = [...s.matchAll(/startxref\s+(\d+)/g)].pop();
  const root = [...s.matchAll(/\/Root\s+(\d+\s+\d+\s+R)/g)].pop();
  const size = [...s.matchAll(/\/Size\s+(\d+)/g)].pop();
  return { root: root?.[1] ?? '1 0 R', size: Number(size?.[1] ?? 100), startxref: Number(sx?.[1] ?? 0) };
}

/** Appends a revision redefining `bodies` (object number → body text) with a classic xref table. */
export function appendRevision(data: Uint8Array, bodies: ReadonlyMap<number, string>, extraTrailer = ''): Uint8Array {
  const s = text(data);
  const t = lastTrailer(s);
  let out = data[data.length - 1] === 0x0a ? '' : '\n';
  const offsets: [number, number][] = [];
  for (const [num, body] of bodies) {
    offsets.push([num, data.length + out.length]);
    out += `${num} 0 obj\n${body}\nendobj\n`;
  }
  const xrefAt = data.length + out.length;
  out += 'xref\n';
  for (const [num, off] of offsets.sort((a, b) => a[0] - b[0])) out += `${num} 1\n${String(off).padStart(10, '0')} 00000 n\r\n`;
  const size = Math.max(t.size, ...offsets.map(([n]) => n + 1));
  out += `trailer\n<< /Size ${size} /Root ${t.root} /Prev ${t.startxref}${extraTrailer} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return concat(data, latin1(out));
}

/** Appends a revision whose objects sit in an object stream, indexed by an xref stream (ISO 32000-2 §7.5.7, §7.5.8). */
function appendObjStmRevision(data: Uint8Array, bodies: ReadonlyMap<number, string>, r: Rng): Uint8Array {
  const s = text(data);
  const t = lastTrailer(s);
  const stmNum = t.size;
  const xrefNum = t.size + 1;
  let header = '';
  let payload = '';
  const nums = [...bodies.keys()];
  for (const num of nums) {
    header += `${num} ${payload.length} `;
    payload += `${bodies.get(num)}\n`;
  }
  const first = header.length;
  const stmData = header + payload;
  const n = r.chance(0.2) ? r.pick([0, -1, nums.length + 5, 1e9]) : nums.length;
  let out = data[data.length - 1] === 0x0a ? '' : '\n';
  const stmAt = data.length + out.length;
  out += `${stmNum} 0 obj\n<< /Type /ObjStm /N ${n} /First ${r.chance(0.1) ? r.int(first + 10) : first} /Length ${stmData.length} >>\nstream\n${stmData}\nendstream\nendobj\n`;
  const xrefAt = data.length + out.length;
  // Rows of /W [1 4 2]: type, field 2, field 3.
  const rows: [number, number, number, number][] = [[stmNum, 1, stmAt, 0], [xrefNum, 1, xrefAt, 0], ...nums.map((num, i) => [num, 2, stmNum, i] as [number, number, number, number])];
  rows.sort((a, b) => a[0] - b[0]);
  let bin = '';
  const index: number[] = [];
  for (const [num, type, f2, f3] of rows) {
    index.push(num, 1);
    bin += String.fromCharCode(type, (f2 >>> 24) & 255, (f2 >>> 16) & 255, (f2 >>> 8) & 255, f2 & 255, (f3 >>> 8) & 255, f3 & 255);
  }
  out += `${xrefNum} 0 obj\n<< /Type /XRef /Size ${xrefNum + 1} /W [1 4 2] /Index [${index.join(' ')}] /Root ${t.root} /Prev ${t.startxref} /Length ${bin.length} >>\nstream\n${bin}\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`;
  return concat(data, latin1(out));
}

/** A body for a redefined object: another object's body, a mutated copy of its own, or something hostile. */
function hostileBody(s: string, objs: ObjSpan[], own: ObjSpan | undefined, r: Rng): string {
  const other = objs.length ? r.pick(objs) : undefined;
  const bodyOf = (o: ObjSpan | undefined) => (o ? s.slice(o.bodyStart, o.bodyEnd).trim() : '<< >>');
  switch (r.int(7)) {
    case 0:
      return bodyOf(other);
    case 1: {
      const b = bodyOf(own);
      // Change one number in the body (a /Rect, a /Length, a reference).
      const nums = [...b.matchAll(/-?\d+(\.\d+)?/g)];
      if (!nums.length) return b;
      const m = r.pick(nums);
      const v = r.chance(0.5) ? String(Number(m[0]) + r.pick([-100, -1, 1, 7, 100, 1000])) : r.pick(HUGE_NUMBERS);
      return b.slice(0, m.index) + v + b.slice(m.index! + m[0].length);
    }
    case 2:
      return `${'['.repeat(1 + r.int(300))}${']'.repeat(r.int(300))}`;
    case 3:
      return `<< /Type /Page /Parent ${r.int(20)} 0 R /Contents ${r.int(20)} 0 R /MediaBox [0 0 ${r.pick(HUGE_NUMBERS)} 842] >>`;
    case 4:
      return `${r.int(30)} 0 R`;
    case 5: {
      const b = bodyOf(own);
      return b.startsWith('<<') ? b.replace(/>>\s*$/, ` /Annots [${r.int(30)} 0 R] /Kids [${r.int(30)} 0 R] >>`) : b;
    }
    default: {
      const content = r.pick(['BT /F1 24 Tf 72 720 Td (forged) Tj ET', '0 0 1 rg 0 0 595 842 re f', 'q 1 0 0 1 0 0 cm Q']);
      return `<< /Length ${content.length}${r.chance(0.3) ? ` /Filter ${r.pick(FILTERS)}` : ''} >>\nstream\n${content}\nendstream`;
    }
  }
}

function pdfMutation(data: Uint8Array, r: Rng, others: readonly Uint8Array[]): Uint8Array {
  const s = text(data);
  const objs = objects(s);
  switch (r.int(12)) {
    case 0: {
      // Swap two objects' bodies in place (headers kept: the xref still points at them).
      if (objs.length < 2) break;
      const a = r.pick(objs);
      const b = r.pick(objs);
      if (a === b) break;
      const [x, y] = a.start < b.start ? [a, b] : [b, a];
      return latin1(s.slice(0, x.bodyStart) + s.slice(y.bodyStart, y.bodyEnd) + s.slice(x.bodyEnd, y.bodyStart) + s.slice(x.bodyStart, x.bodyEnd) + s.slice(y.bodyEnd));
    }
    case 1:
    case 2: {
      // Redefine one or a few objects in a new revision (a classic table).
      const bodies = new Map<number, string>();
      for (let k = 1 + r.int(3); k > 0; k--) {
        const own = objs.length ? r.pick(objs) : undefined;
        bodies.set(own?.num ?? r.int(20), hostileBody(s, objs, own, r));
      }
      return appendRevision(data, bodies, r.chance(0.1) ? r.pick([' /XRefStm 0', ' /Encrypt 1 0 R', ' /Prev 0']) : '');
    }
    case 3: {
      const bodies = new Map<number, string>();
      for (let k = 1 + r.int(3); k > 0; k--) {
        const own = objs.length ? r.pick(objs) : undefined;
        bodies.set(own?.num ?? r.int(20), hostileBody(s, objs, own, r));
      }
      return appendObjStmRevision(data, bodies, r);
    }
    case 4: {
      // Move the ByteRange: another start, a shorter or longer range, the gap elsewhere.
      const ms = [...s.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
      if (!ms.length) break;
      const m = r.pick(ms);
      const v = [1, 2, 3, 4].map((i) => Number(m[i]));
      const i = r.int(4);
      v[i] = r.pick([0, v[i]! + 1, v[i]! - 1, v[i]! + 100, data.length, v[(i + 2) % 4]!, 2 ** 31, -v[i]!]);
      if (r.chance(0.2)) v.push(r.int(data.length), r.int(100));
      const rep = `/ByteRange [${v.join(' ')}]`.padEnd(m[0].length, ' ');
      return latin1(s.slice(0, m.index) + rep + s.slice(m.index! + m[0].length));
    }
    case 5:
      // Cut the file anywhere.
      return data.subarray(0, r.int(data.length + 1));
    case 6: {
      // Duplicate an xref section (with its trailer) at the end or in the middle.
      const xs = [...s.matchAll(/(xref\s[\s\S]*?%%EOF\s*)/g)];
      if (!xs.length) break;
      const x = r.pick(xs);
      const at = r.chance(0.5) ? data.length : r.int(data.length);
      return latin1(s.slice(0, at) + x[1] + s.slice(at));
    }
    case 7: {
      // Deep nesting at a random place inside an object.
      const depth = r.pick([50, 99, 100, 101, 500, 5000]);
      const open = r.pick(['[', '<< /A ', '<< /Kids [']);
      const close = open === '[' ? ']' : open === '<< /A ' ? ' >>' : '] >>';
      const o = objs.length ? r.pick(objs) : undefined;
      const at = o ? o.bodyStart + r.int(o.bodyEnd - o.bodyStart) : r.int(s.length);
      return latin1(s.slice(0, at) + ` ${open.repeat(depth)}1${close.repeat(r.chance(0.8) ? depth : r.int(depth))} ` + s.slice(at));
    }
    case 8: {
      // A huge or malformed number in place of one.
      const ms = [...s.matchAll(/(?<=[\s[/<])-?\d+(?:\.\d+)?(?=[\s\]>/])/g)];
      if (!ms.length) break;
      const m = r.pick(ms);
      return latin1(s.slice(0, m.index) + r.pick(HUGE_NUMBERS) + s.slice(m.index! + m[0].length));
    }
    case 9: {
      // Break a stream: its /Length, its filter chain, its parameters or its data.
      const ms = [...s.matchAll(/\/Length\s+(\d+)(\s+0\s+R)?/g)];
      if (!ms.length) break;
      const m = r.pick(ms);
      const after = m.index! + m[0].length;
      switch (r.int(4)) {
        case 0:
          return latin1(s.slice(0, m.index) + `/Length ${r.pick(['0', '1', String(Number(m[1]) + 1), String(Number(m[1]) - 1), '999999999', '-5', '3 0 R', '1.5'])}` + s.slice(after));
        case 1:
          return latin1(s.slice(0, after) + ` /Filter ${r.pick(FILTERS)}` + s.slice(after));
        case 2:
          return latin1(s.slice(0, after) + ` /Filter /FlateDecode /DecodeParms ${r.pick(PARMS)}` + s.slice(after));
        default: {
          const st = s.indexOf('stream', after);
          if (st < 0) break;
          const at = st + 7 + r.int(Math.max(1, Number(m[1]) || 1));
          return latin1(s.slice(0, at) + r.pick(['endstream', '\x00\xff\x00', 'x\x9c', '~>', '>>']) + s.slice(at + r.int(8)));
        }
      }
      break;
    }
    case 10: {
      // startxref pointing elsewhere.
      const m = [...s.matchAll(/startxref\s+(\d+)/g)].pop();
      if (!m) break;
      const v = r.pick([0, Number(m[1]) + r.pick([-10, -1, 1, 10]), data.length, r.int(data.length), 2 ** 40]);
      return latin1(s.slice(0, m.index) + `startxref\n${v}` + s.slice(m.index! + m[0].length));
    }
    default:
      break;
  }
  return byteMutation(data, r, others);
}

// ---------------------------------------------------------------- DER

interface Tlv {
  start: number;
  header: number;
  end: number;
  constructed: boolean;
}

/** The element headers of a DER tree (definite lengths only), shallow to deep. */
function tlvs(b: Uint8Array, from = 0, to = b.length, depth = 0, out: Tlv[] = []): Tlv[] {
  let i = from;
  while (i < to && out.length < 5000 && depth < 40) {
    const start = i;
    const tag = b[i++]!;
    if ((tag & 0x1f) === 0x1f) while (i < to && b[i++]! & 0x80);
    if (i >= to) return out;
    let len = b[i++]!;
    if (len & 0x80) {
      const k = len & 0x7f;
      if (k === 0 || k > 4) return out;
      len = 0;
      for (let j = 0; j < k; j++) len = len * 256 + (b[i++] ?? 0);
    }
    const end = i + len;
    if (end > to) return out;
    const node = { start, header: i - start, end, constructed: (tag & 0x20) !== 0 };
    out.push(node);
    if (node.constructed) tlvs(b, i, end, depth + 1, out);
    i = end;
  }
  return out;
}

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 255);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function derMutation(data: Uint8Array, r: Rng, others: readonly Uint8Array[]): Uint8Array {
  const nodes = tlvs(data);
  if (!nodes.length || r.chance(0.3)) return byteMutation(data, r, others);
  const t = r.pick(nodes);
  const content = data.subarray(t.start + t.header, t.end);
  const replace = (by: Uint8Array) => concat(data.subarray(0, t.start), by, data.subarray(t.end));
  switch (r.int(8)) {
    case 0:
      // Indefinite length (BER) with end-of-contents, or none.
      return replace(concat(Uint8Array.of(data[t.start]! | 0x20, 0x80), content, r.chance(0.7) ? Uint8Array.of(0, 0) : new Uint8Array(0)));
    case 1:
      // A length that lies: huge, off by one, or eight bytes long.
      return replace(concat(Uint8Array.of(data[t.start]!), r.pick([Uint8Array.of(0x84, 0x7f, 0xff, 0xff, 0xff), derLength(content.length + 1), derLength(Math.max(0, content.length - 1)), Uint8Array.of(0x88, 0, 0, 0, 0, 0, 0, 0, content.length)]), content));
    case 2:
      // Another tag.
      return replace(concat(Uint8Array.of(r.pick([0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x30, 0x31, 0xa0, 0xa1, 0x80, 0x1f]), ...derLength(content.length)), content));
    case 3:
      // Deleted (its parents' lengths left as they were).
      return replace(new Uint8Array(0));
    case 4: {
      // Duplicated, or replaced by an element of another seed.
      const o = others.length ? r.pick(others) : data;
      const on = tlvs(o);
      const by = on.length && r.chance(0.5) ? o.subarray(r.pick(on).start, r.pick(on).end) : data.subarray(t.start, t.end);
      return replace(concat(data.subarray(t.start, t.end), by.length < 65536 ? by : new Uint8Array(0)));
    }
    case 5: {
      // Nested in many SEQUENCEs.
      let x = data.subarray(t.start, t.end);
      for (let k = r.pick([10, 100, 1000]); k > 0; k--) x = concat(Uint8Array.of(0x30), derLength(x.length), x);
      return replace(x);
    }
    case 6: {
      // A huge or empty primitive value (INTEGER, OID, time, string).
      const v = r.pick([new Uint8Array(0), new Uint8Array(300).fill(0xff), Uint8Array.of(0x80), Uint8Array.of(0, 0, 0, 1), latin1('99991231235960Z'), latin1('7001010000Z'), Uint8Array.of(0x2a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)]);
      return replace(concat(Uint8Array.of(data[t.start]! & ~0x20), derLength(v.length), v));
    }
    default: {
      // One byte of the content changed.
      const out = data.slice();
      if (t.end > t.start + t.header) out[t.start + t.header + r.int(t.end - t.start - t.header)] ^= 1 << r.int(8);
      return out;
    }
  }
}

// ---------------------------------------------------------------- content streams

const CONTENT_OPS = ['BT', 'ET', 'q', 'Q', 'cm', 'Tf', 'Td', 'TD', 'Tm', 'T*', 'Tj', 'TJ', "'", '"', 'Tc', 'Tw', 'Tz', 'TL', 'Ts', 'Tr', 'Do', 'BI', 'ID', 'EI', 'BDC', 'EMC', 'begincodespacerange', 'endcodespacerange', 'beginbfchar', 'endbfchar', 'beginbfrange', 'endbfrange', 'begincidrange', 'endcidrange', 'usecmap'];
const CONTENT_OPERANDS = ['/F1', '/F2', '/X1', '/Nope', '12', '0', '-1', '1e308', '99999999999', '(so 12)', '<0001>', '<00010002>', '<>', '[(a) -250 (b)]', '[1 0 0 1 0 0]', '<< /MCID 0 >>', '(unterminated', '<0000> <FFFF>', '<0000> <FFFF> <0041>', '<0000> <FFFF> [<0041>]', '()', '(\\)', '[[[[[[', '<<<<'];

function contentMutation(data: Uint8Array, r: Rng, others: readonly Uint8Array[]): Uint8Array {
  if (r.chance(0.4)) return byteMutation(data, r, others);
  const at = r.int(data.length + 1);
  let ins = '';
  if (r.chance(0.15)) {
    const k = r.pick([10, 200, 5000]);
    ins = r.pick([' q'.repeat(k), ' /X1 Do'.repeat(k), ` ${'['.repeat(k)}`, ' BT'.repeat(k), ' 1 0 0 1 0 0 cm'.repeat(k)]);
  } else {
    for (let k = r.int(4); k >= 0; k--) ins += ` ${r.pick(CONTENT_OPERANDS)}`;
    ins += ` ${r.pick(CONTENT_OPS)} `;
  }
  return concat(data.subarray(0, at), latin1(ins), data.subarray(at));
}

// ---------------------------------------------------------------- JSON

function jsonValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 6 : 8)) {
    case 0: return null;
    case 1: return r.pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, 1, 2]);
    case 2: return r.pick(['', 'kyso.hello', 'kyso.sign', 'kyso.result', 'kyso.error', 'kyso.waiting-for-user', '$ID', 'SHA-256', 'ECDSA', 'AAAA', '====', 'A===', 'MIIBAA==', 'A'.repeat(70_000), '__proto__', '\u0000', '\u202e', 'pin', 'consent', 'ERR_NOPE', 'ERR_AGENT_PROTOCOL']);
    case 3: return r.chance(0.5);
    case 4: return 'x'.repeat(r.int(100));
    case 5: return r.int(1000);
    case 6: return Array.from({ length: r.int(5) }, () => jsonValue(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(['action', 'id', 'versions', 'result', 'error', 'digest', 'digests', 'hash', 'scheme', 'certificateId', 'reason', 'code', 'message', 'target', '__proto__', 'constructor', 'document', 'documents', 'clientToken', 'kyso', 'detail', 'name', 'digestPrefix', 'certificates', 'certificate', 'chain', 'label', 'token', 'serial', 'schemes', 'signature', 'signatures', 'version', 'toString', 'valueOf']), jsonValue(r, depth + 1)]));
  }
}

function jsonMutation(data: Uint8Array, r: Rng, others: readonly Uint8Array[]): Uint8Array {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return byteMutation(data, r, others);
  }
  if (r.chance(0.25)) return byteMutation(data, r, others);
  if (Array.isArray(v) && v.length && r.chance(0.7)) {
    // A list of frames: mutate one of them.
    const i = r.int(v.length);
    const one = jsonMutation(new TextEncoder().encode(JSON.stringify(v[i])), r, others);
    try {
      v[i] = JSON.parse(new TextDecoder().decode(one));
    } catch {
      v.splice(i, 1);
    }
    return new TextEncoder().encode(JSON.stringify(v));
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(o);
    if (r.chance(0.3) && keys.length) delete o[r.pick(keys)];
    else {
      const k = r.chance(0.7) && keys.length ? r.pick(keys) : r.pick(['id', 'action', 'result', 'error', 'digests', 'versions']);
      const inner = o[k];
      // Half the time go inside a nested object or array (a certificate entry, an error), else replace.
      let next: unknown = jsonValue(r);
      if (inner !== null && typeof inner === 'object' && r.chance(0.5)) {
        try {
          next = JSON.parse(new TextDecoder().decode(jsonMutation(new TextEncoder().encode(JSON.stringify(inner)), r, others)));
        } catch {
          // the nested mutation was not JSON: keep the fresh value
        }
      }
      o[k] = next;
    }
    v = o;
  } else if (r.chance(0.2)) {
    let nested: unknown = v;
    for (let k = r.pick([10, 1000, 100_000]); k > 0; k--) nested = [nested];
    try {
      return new TextEncoder().encode(JSON.stringify(nested));
    } catch {
      return data;
    }
  } else {
    v = jsonValue(r);
  }
  return new TextEncoder().encode(JSON.stringify(v));
}

/**
 * An incremental update of a signed file as a forger writes one: one or two
 * existing objects redefined in a new revision (classic table or object
 * stream) by their own body, the body with one number changed, or another
 * object's body. Some of these change nothing a reader sees, which is what
 * the rendering property needs to compare.
 */
export function reviseMutation(data: Uint8Array, seed: number): Uint8Array {
  const r = new Rng(seed);
  const s = text(data);
  const objs = objects(s);
  if (!objs.length) return data;
  const bodies = new Map<number, string>();
  for (let k = 1 + r.int(2); k > 0; k--) {
    const own = r.pick(objs);
    const body = s.slice(own.bodyStart, own.bodyEnd).trim();
    const choice = r.int(4);
    bodies.set(own.num, choice === 0 ? body : hostileBody(s, objs, own, r));
  }
  return r.chance(0.7) ? appendRevision(data, bodies) : appendObjStmRevision(data, bodies, new Rng(r.next() | 1));
}

/** One mutation of `data` for a target of this kind, deterministic in `seed`; `others` are inputs to splice from. */
export function mutate(kind: InputKind, data: Uint8Array, seed: number, others: readonly Uint8Array[] = []): Uint8Array {
  const r = new Rng(seed);
  let out = data;
  // Stacked mutations reach states one mutation cannot.
  for (let k = 1 + (r.chance(0.3) ? r.int(4) : 0); k > 0; k--) {
    out = kind === 'pdf' ? pdfMutation(out, r, others) : kind === 'der' ? derMutation(out, r, others) : kind === 'content' ? contentMutation(out, r, others) : jsonMutation(out, r, others);
  }
  return out.length > MAX_INPUT ? out.subarray(0, MAX_INPUT) : out;
}
