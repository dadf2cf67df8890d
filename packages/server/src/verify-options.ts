import { kysoError, LEGACY_POLICY, TRUST_PROFILE_NAMES, type VerifyOptions } from '@kyso/core';

/** What a `POST /v1/verify` query asks for, mirroring `kyso verify`'s options of the same names. */
export interface VerifyQuery {
  readonly profiles: readonly string[];
  readonly revocation: 'embedded' | 'online' | 'off';
  readonly policy: 'default' | 'legacy';
  readonly at: Date | undefined;
  readonly lang: 'vi' | 'en';
  /** The file name the report shows (`report.file`), as `kyso verify FILE` shows its argument; default none. */
  readonly name: string | undefined;
}

const KNOWN = new Set(['profile', 'revocation', 'offline', 'policy', 'at', 'lang', 'name']);

/**
 * Reads and checks the query: the same names, values and defaults as the CLI (`--profile` repeatable,
 * `--revocation` online by default, `--offline`, `--policy`, `--at`, `--lang`). An unknown parameter is
 * `ERR_INVALID_ARGUMENT`, as an unknown option is for the CLI: a typo must not silently verify otherwise.
 */
export function readVerifyQuery(params: URLSearchParams): VerifyQuery {
  for (const key of params.keys()) if (!KNOWN.has(key)) throw kysoError('ERR_INVALID_ARGUMENT', `unknown query parameter ${key}`);
  const one = (key: string): string | undefined => {
    const all = params.getAll(key);
    if (all.length > 1) throw kysoError('ERR_INVALID_ARGUMENT', `${key} may be given once`);
    return all[0];
  };
  const lang = one('lang') ?? 'vi';
  if (lang !== 'vi' && lang !== 'en') throw kysoError('ERR_INVALID_ARGUMENT', 'lang must be vi or en');
  const offlineText = one('offline');
  if (offlineText !== undefined && !['', 'true', '1', 'false', '0'].includes(offlineText)) throw kysoError('ERR_INVALID_ARGUMENT', 'offline must be true or false');
  const offline = offlineText === '' || offlineText === 'true' || offlineText === '1';
  const revocation = one('revocation') ?? (offline ? 'embedded' : 'online');
  if (revocation !== 'embedded' && revocation !== 'online' && revocation !== 'off') throw kysoError('ERR_INVALID_ARGUMENT', 'revocation must be online, embedded or off');
  if (offline && revocation === 'online') throw kysoError('ERR_INVALID_ARGUMENT', 'offline contradicts revocation=online');
  const policy = one('policy') ?? 'default';
  if (policy !== 'default' && policy !== 'legacy') throw kysoError('ERR_INVALID_ARGUMENT', 'policy must be default or legacy');
  const profiles = params.getAll('profile');
  for (const p of profiles) {
    if (!(TRUST_PROFILE_NAMES as readonly string[]).includes(p)) throw kysoError('ERR_INVALID_ARGUMENT', `profile must be one of ${TRUST_PROFILE_NAMES.join(', ')}`);
  }
  const atText = one('at');
  let at: Date | undefined;
  if (atText !== undefined) {
    at = new Date(atText);
    if (Number.isNaN(at.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'at must be an ISO 8601 time');
  }
  const name = one('name');
  if (name !== undefined && (name.length > 1024 || /[\u0000-\u001f]/.test(name))) throw kysoError('ERR_INVALID_ARGUMENT', 'name must be at most 1024 printable characters');
  return { profiles, revocation, policy, at, lang, name };
}

/** The `verify` options of a query, with the service's configured trust anchors added as `kyso verify --trust` adds files. */
export function verifyOptionsOf(q: VerifyQuery, service: { trust: readonly string[]; fetch?: VerifyOptions['fetch'] }): VerifyOptions {
  return {
    trust: [...q.profiles, ...service.trust],
    revocation: q.revocation,
    at: q.at,
    file: q.name,
    fetch: q.revocation === 'online' ? service.fetch : undefined,
    ...(q.policy === 'legacy' ? { policy: LEGACY_POLICY } : {}),
  };
}
