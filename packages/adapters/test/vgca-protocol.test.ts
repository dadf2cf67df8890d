// The VGCA Sign Service contract on the page side: request frames per endpoint (agents.md §1 table), reply reading,
// and VgcaAdapter's socket handling against scripted WebSocket servers on 127.0.0.1 (ws, port 0). The full round
// trip with the emulator and the upload handler is examples/vgca-emulator/test/round-trip.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import {
  buildVgcaRequest, formatVietnamIso, interpretVgcaReply, parseVgcaReply, VgcaAdapter, VGCA_ENDPOINTS, type VgcaSocket,
} from '@kyso/adapters';
import type { FullDocumentRequest } from '@kyso/core';

const urls = { documentUrl: 'https://qlvb.example/api/vgca/source?t=abc', uploadUrl: 'https://qlvb.example/api/vgca/upload?t=abc' };

describe('request frames per endpoint', () => {
  it('maps every Decree 30 role to its endpoint', () => {
    expect(VGCA_ENDPOINTS).toEqual({
      approve: 'SignApproved', issue: 'SignIssued', income: 'SignIncome', comment: 'Comment', appendix: 'SignAppendix', copy: 'SignCopy',
    });
  });

  it('SignApproved: the base request only', () => {
    expect(buildVgcaRequest({ role: 'approve', ...urls })).toEqual({
      endpoint: 'SignApproved',
      body: { FileUploadHandler: urls.uploadUrl, SessionId: '', JWTToken: '', FileName: urls.documentUrl },
    });
  });

  it('SignIssued: DocNumber and IssuedDate in Vietnam time (ISO 8601, +07:00)', () => {
    const { endpoint, body } = buildVgcaRequest({
      role: 'issue', ...urls, docNumber: '123/BCY-CTSBMTT', issuedDate: new Date('2019-03-12T05:00:00Z'), jwtToken: 'j', sessionId: 's',
    });
    expect(endpoint).toBe('SignIssued');
    expect(body).toEqual({
      FileUploadHandler: urls.uploadUrl, SessionId: 's', JWTToken: 'j', FileName: urls.documentUrl,
      DocNumber: '123/BCY-CTSBMTT', IssuedDate: '2019-03-12T12:00:00+07:00',
    });
  });

  it('SignAppendix, SignCopy, SignIncome, Comment carry MetaData as [{Key, Value}]', () => {
    const metadata = [{ key: 'abc', value: 'abc' }];
    expect(buildVgcaRequest({ role: 'appendix', ...urls, docNumber: '15/QĐ-UBND', metadata }).body).toMatchObject({ DocNumber: '15/QĐ-UBND', MetaData: [{ Key: 'abc', Value: 'abc' }] });
    expect(buildVgcaRequest({ role: 'copy', ...urls, docNumber: '2/SY', metadata }).body).toMatchObject({ DocNumber: '2/SY', MetaData: [{ Key: 'abc', Value: 'abc' }] });
    expect(buildVgcaRequest({ role: 'income', ...urls }).body).toMatchObject({ MetaData: [] });
    expect(buildVgcaRequest({ role: 'comment', ...urls, metadata }).endpoint).toBe('Comment');
  });

  it('formats a date near midnight UTC on the Vietnamese calendar day', () => {
    expect(formatVietnamIso(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01T00:00:00+07:00');
  });

  const bad: [string, Partial<FullDocumentRequest> & Record<string, unknown>, string][] = [
    ['unknown role', { role: 'seal' as never, ...urls }, 'role'],
    ['no documentUrl', { role: 'approve', uploadUrl: urls.uploadUrl }, 'documentUrl'],
    ['relative uploadUrl', { role: 'approve', documentUrl: urls.documentUrl, uploadUrl: '/upload' }, 'uploadUrl'],
    ['file: URL', { role: 'approve', documentUrl: 'file:///etc/passwd', uploadUrl: urls.uploadUrl }, 'documentUrl'],
    ['javascript: URL', { role: 'approve', documentUrl: 'javascript:alert(1)', uploadUrl: urls.uploadUrl }, 'documentUrl'],
    ['credentials in URL', { role: 'approve', documentUrl: 'https://u:p@x.example/a', uploadUrl: urls.uploadUrl }, 'documentUrl'],
    ['issue without docNumber', { role: 'issue', ...urls, issuedDate: new Date() }, 'docNumber'],
    ['issue with blank docNumber', { role: 'issue', ...urls, docNumber: '  ', issuedDate: new Date() }, 'docNumber'],
    ['issue without issuedDate', { role: 'issue', ...urls, docNumber: '1/QĐ' }, 'issuedDate'],
    ['issue with an invalid date', { role: 'issue', ...urls, docNumber: '1/QĐ', issuedDate: new Date('x') }, 'issuedDate'],
    ['copy without docNumber', { role: 'copy', ...urls }, 'docNumber'],
    ['metadata not an array', { role: 'comment', ...urls, metadata: 'x' as never }, 'metadata'],
    ['metadata entry without key', { role: 'comment', ...urls, metadata: [{ value: 'v' }] as never }, 'metadata[0].key'],
    ['control character', { role: 'appendix', ...urls, docNumber: '1/QĐ\n"x"' }, 'docNumber'],
    ['huge field', { role: 'approve', ...urls, jwtToken: 'x'.repeat(5000) }, 'jwtToken'],
  ];
  for (const [name, request, field] of bad) {
    it(`refuses ${name} (ERR_INVALID_ARGUMENT naming ${field})`, () => {
      expect(() => buildVgcaRequest(request as FullDocumentRequest)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', detail: expect.stringContaining(field) }));
    });
  }
});

describe('reply frames', () => {
  const how = { cancelledStatuses: [1] };
  it('Status 0 with FileServer is the result; FileServer may be JSON passed through', () => {
    expect(interpretVgcaReply(parseVgcaReply('{"Status":0,"Message":"","FileName":"a.pdf","FileServer":{"id":7},"DocumentNumber":"1/QĐ","DocumentDate":"x"}'), how))
      .toEqual({ fileName: 'a.pdf', fileServer: '{"id":7}', documentNumber: '1/QĐ', documentDate: 'x', message: '' });
    expect(parseVgcaReply('{"Status":"0","FileServer":"f"}').Status).toBe(0);
  });

  const table: [string, string, string][] = [
    ['not JSON', 'OK', 'ERR_VGCA_BAD_REPLY'],
    ['a JSON array', '[0]', 'ERR_VGCA_BAD_REPLY'],
    ['no Status', '{"Message":"x"}', 'ERR_VGCA_BAD_REPLY'],
    ['Status true (a boolean)', '{"Status":true}', 'ERR_VGCA_BAD_REPLY'],
    ['Status "abc"', '{"Status":"abc"}', 'ERR_VGCA_BAD_REPLY'],
    ['Status 1.5', '{"Status":1.5}', 'ERR_VGCA_BAD_REPLY'],
    ['user cancelled', '{"Status":1,"Message":"hủy"}', 'ERR_VGCA_CANCELLED'],
    ['refused', '{"Status":2,"Message":"Không tìm thấy chứng thư"}', 'ERR_VGCA_REFUSED'],
    ['no WebSocket (Status 500)', '{"Error":"WebSocket NOT supported by your Browser!","Status":500}', 'ERR_VGCA_REFUSED'],
    ['signed, not stored (empty FileServer)', '{"Status":0,"Message":"Status false from handler","FileServer":""}', 'ERR_VGCA_NOT_STORED'],
    ['signed, not stored (no FileServer)', '{"Status":0}', 'ERR_VGCA_NOT_STORED'],
  ];
  for (const [name, text, code] of table) {
    it(`${name} → ${code}`, () => {
      expect(() => interpretVgcaReply(parseVgcaReply(text), how)).toThrow(expect.objectContaining({ code }));
    });
  }
  it('a non-string frame is ERR_VGCA_BAD_REPLY', () => {
    expect(() => parseVgcaReply(new Uint8Array(2))).toThrow(expect.objectContaining({ code: 'ERR_VGCA_BAD_REPLY' }));
  });
});

describe('VgcaAdapter over a real socket', () => {
  let server: WebSocketServer | undefined;
  afterEach(async () => {
    if (server) {
      for (const c of server.clients) c.terminate();
      await new Promise((r) => server!.close(r));
      server = undefined;
    }
  });
  /** A scripted service: `onRequest` gets the path and the frame and does what it likes with the socket. */
  async function service(onRequest: (path: string, frame: string, socket: WebSocket) => void): Promise<string> {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => server!.once('listening', r));
    server.on('connection', (socket, req) => socket.once('message', (data) => onRequest(req.url ?? '', data.toString(), socket)));
    return `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
  }
  const node = (url: string, more: Partial<ConstructorParameters<typeof VgcaAdapter>[0]> = {}) =>
    new VgcaAdapter({ url, webSocket: (u) => new WebSocket(u) as unknown as VgcaSocket, connectTimeoutMs: 1000, replyTimeoutMs: 2000, ...more });

  it('sends one JSON frame to /<Endpoint> and reads one reply', async () => {
    const seen: { path: string; frame: unknown }[] = [];
    const url = await service((path, frame, socket) => {
      seen.push({ path, frame: JSON.parse(frame) });
      socket.send(JSON.stringify({ Status: 0, FileName: 'x.pdf', FileServer: 'id-1', DocumentNumber: '', DocumentDate: '' }));
    });
    const result = await node(url).signDocument({ role: 'issue', ...urls, docNumber: '9/QĐ', issuedDate: new Date('2026-01-01T00:00:00Z') });
    expect(result).toMatchObject({ fileName: 'x.pdf', fileServer: 'id-1' });
    expect(seen).toEqual([{ path: '/SignIssued', frame: expect.objectContaining({ DocNumber: '9/QĐ', IssuedDate: '2026-01-01T07:00:00+07:00' }) }]);
  });

  it('a binary reply frame → ERR_VGCA_BAD_REPLY', async () => {
    const url = await service((_p, _f, socket) => socket.send(Buffer.from('{"Status":0}')));
    await expect(node(url).signDocument({ role: 'approve', ...urls })).rejects.toMatchObject({ code: 'ERR_VGCA_BAD_REPLY' });
  });

  it('a server that accepts TCP but never completes the handshake → ERR_VGCA_UNAVAILABLE after the connect time-out', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const tcp = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    try {
      const started = Date.now();
      await expect(node(`ws://127.0.0.1:${(tcp.address() as { port: number }).port}`, { connectTimeoutMs: 300 }).getVersion())
        .rejects.toMatchObject({ code: 'ERR_VGCA_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => tcp.close(r));
    }
  });

  it('cancelledStatuses is configurable for builds whose cancel code differs', async () => {
    const url = await service((_p, _f, socket) => socket.send('{"Status":7,"Message":"Hủy"}'));
    await expect(node(url, { cancelledStatuses: [7] }).signDocument({ role: 'approve', ...urls })).rejects.toMatchObject({ code: 'ERR_VGCA_CANCELLED' });
  });

  it('an aborted signal before the call → ERR_ABORTED without connecting', async () => {
    let connections = 0;
    const url = await service(() => connections++);
    await expect(node(url).signDocument({ role: 'approve', ...urls, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(connections).toBe(0);
  });

  it('the adapter is usable again after a failure', async () => {
    let n = 0;
    const url = await service((_p, _f, socket) => (n++ === 0 ? socket.close() : socket.send('{"Status":0,"FileServer":"ok"}')));
    const a = node(url);
    await expect(a.signDocument({ role: 'approve', ...urls })).rejects.toMatchObject({ code: 'ERR_VGCA_BAD_REPLY' });
    await expect(a.signDocument({ role: 'approve', ...urls })).resolves.toMatchObject({ fileServer: 'ok' });
  });

  it('option checks', () => {
    expect(() => new VgcaAdapter({ url: 'https://127.0.0.1:8987' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => new VgcaAdapter({ replyTimeoutMs: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
