/**
 * docs/service/openapi.yaml and the service answer the same routes: every documented operation is one
 * the server routes (not its 404 ERR_SERVICE_NOT_FOUND), every route it has is documented, with the same
 * method and the same need of an API key, and paths or methods not documented are refused.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROUTES, startService, type KysoService } from '../src/index.js';

const SPEC = new URL('../../../docs/service/openapi.yaml', import.meta.url);
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
const KEY = 'k-openapi-0123456789abcdef0123456789';

interface Operation { security?: unknown[] }
const spec = parse(readFileSync(SPEC, 'utf8')) as { openapi: string; security?: unknown[]; paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> };

/** `METHOD /path` of every documented operation. */
const documented = Object.entries(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`)).sort();

let service: KysoService;

beforeAll(async () => {
  service = await startService({ port: 0, apiKeys: [KEY] });
});

afterAll(async () => {
  await service?.close();
});

/** The code of the service's answer (null when it is not a typed error), and its status. */
async function ask(method: string, path: string, key: string | null = KEY): Promise<{ status: number; code: string | null }> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  const text = await res.text();
  let code: string | null = null;
  try {
    code = (JSON.parse(text) as { code?: string }).code ?? null;
  } catch {
    // Not JSON (metrics): not an error.
  }
  return { status: res.status, code };
}

/** A concrete path for a template (`{id}` filled in). */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'AAAAAAAAAAAAAAAAAAAAAA');

describe('docs/service/openapi.yaml describes the service', () => {
  it('is OpenAPI 3.1 and lists exactly the routes the server has, with their methods', () => {
    expect(spec.openapi).toBe('3.1.0');
    const served = Object.entries(ROUTES).map(([path, r]) => `${r.method} ${path}`).sort();
    expect(documented).toEqual(served);
  });

  it('documents which routes need an API key as the server asks for one', () => {
    for (const [path, route] of Object.entries(ROUTES)) {
      const op = spec.paths[path]![route.method.toLowerCase() as 'get' | 'post']!;
      const security = op.security ?? spec.security ?? [];
      expect([path, security.length > 0]).toEqual([path, route.auth]);
    }
  });

  it('every documented operation is routed by the server; without the key where one is needed, 401', async () => {
    for (const entry of documented) {
      const [method, path] = entry.split(' ') as [string, string];
      const answer = await ask(method, concrete(path));
      expect([entry, answer.code]).not.toEqual([entry, 'ERR_SERVICE_NOT_FOUND']);
      if (ROUTES[path]!.auth) expect([entry, await ask(method, concrete(path), null)]).toEqual([entry, { status: 401, code: 'ERR_SERVICE_UNAUTHORIZED' }]);
    }
  });

  it('paths and methods not documented are 404 ERR_SERVICE_NOT_FOUND', async () => {
    const others = ['/', '/v1', '/v1/', '/v2/verify', '/v1/verify/x', '/v1/jobs', '/v1/jobs/', '/v1/jobs/a/b', '/openapi.yaml', '/v1/VERIFY'];
    for (const path of others) expect([path, (await ask('GET', path)).code]).toEqual([path, 'ERR_SERVICE_NOT_FOUND']);
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        if (item[method.toLowerCase() as 'get']) continue;
        expect([method, path, (await ask(method, concrete(path))).code]).toEqual([method, path, 'ERR_SERVICE_NOT_FOUND']);
      }
    }
  });
});
