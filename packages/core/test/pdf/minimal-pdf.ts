/**
 * A tiny, valid, hand-written PDF with a classic xref table, built with exact
 * offsets so tests can break it in precise ways.
 */
export function minimalPdf(opts: { objects?: string[]; trailerExtra?: string; header?: string } = {}): Uint8Array {
  const objects = opts.objects ?? [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>',
    '<< /Length 0 >>\nstream\n\nendstream',
  ];
  let out = `${opts.header ?? '%PDF-1.7'}\n%\xe2\xe3\xcf\xd3\n`;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${opts.trailerExtra ?? ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1(out);
}

export function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export function text(b: Uint8Array): string {
  return new TextDecoder('latin1').decode(b);
}
