import type { IncomingMessage, ServerResponse } from 'node:http';
import { kysoError, TRUST_PROFILE_NAMES, type FetchLike } from '@kyso/core';
import { extendIncrement } from '@kyso/core/ltv';
import { openFileSource } from '@kyso/core/node';
import { sendAppended } from './appended-response.js';
import { saveBody } from './body.js';

/** What `/v1/extend` needs from the service. */
export interface ExtendConfig {
  /** Trust anchors added to every request (PEM texts), as `kyso extend --trust`. */
  readonly trust: readonly string[];
  /** The network for OCSP, CRLs and AIA (and the TSA). */
  readonly fetch: FetchLike;
  /** RFC 3161 TSA for level B-LTA's document timestamp. */
  readonly tsaUrl?: string;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
}

/**
 * `POST /v1/extend?level=B-LT|B-LTA`: adds the validation data of every signature (/DSS, ETSI EN 319 142-1
 * §5.4) and, for B-LTA, a document timestamp; answers the extended PDF (the input, then the update).
 * Query: `level` (required), `profile` (repeatable), `at`, `allowIncomplete`. Refusals are core's:
 * `ERR_LTV_NO_SIGNATURES`, `ERR_LTV_DATA_MISSING` (with what is missing), the `ERR_TSA_*` codes.
 * What was added is in the `Kyso-Dss` header (`certs=…; ocsps=…; crls=…; vri=…`).
 */
export async function handleExtend(req: IncomingMessage, res: ServerResponse, url: URL, config: ExtendConfig): Promise<void> {
  for (const key of url.searchParams.keys()) {
    if (!['level', 'profile', 'at', 'allowIncomplete'].includes(key)) throw kysoError('ERR_INVALID_ARGUMENT', `unknown query parameter ${key}`);
  }
  const level = url.searchParams.get('level');
  if (level !== 'B-LT' && level !== 'B-LTA') throw kysoError('ERR_INVALID_ARGUMENT', 'level must be B-LT or B-LTA');
  if (level === 'B-LTA' && !config.tsaUrl) throw kysoError('ERR_INVALID_ARGUMENT', 'level B-LTA needs a TSA configured on the service (--tsa)');
  const profiles = url.searchParams.getAll('profile');
  for (const p of profiles) {
    if (!(TRUST_PROFILE_NAMES as readonly string[]).includes(p)) throw kysoError('ERR_INVALID_ARGUMENT', `profile must be one of ${TRUST_PROFILE_NAMES.join(', ')}`);
  }
  const atText = url.searchParams.get('at');
  const at = atText === null ? undefined : new Date(atText);
  if (at && Number.isNaN(at.getTime())) throw kysoError('ERR_INVALID_ARGUMENT', 'at must be an ISO 8601 time');
  const incomplete = url.searchParams.get('allowIncomplete');
  if (incomplete !== null && !['', 'true', 'false'].includes(incomplete)) throw kysoError('ERR_INVALID_ARGUMENT', 'allowIncomplete must be true or false');
  const body = await saveBody(req, config.maxBodyBytes, config.bodyTimeoutMs);
  try {
    const source = openFileSource(body.path);
    let result;
    try {
      result = await extendIncrement(source, {
        level,
        trust: [...profiles, ...config.trust],
        fetch: config.fetch,
        at,
        allowIncomplete: incomplete === '' || incomplete === 'true',
        // The TSA is the operator's choice, possibly internal: reached directly, not through the document-URL guard.
        timestamp: level === 'B-LTA' ? { url: config.tsaUrl!, fetch: globalThis.fetch as unknown as FetchLike } : undefined,
      });
    } finally {
      source.close();
    }
    const { increment, dss } = result;
    await sendAppended(res, body, increment, { 'kyso-dss': `certs=${dss.certs}; ocsps=${dss.ocsps}; crls=${dss.crls}; vri=${dss.vri}` });
  } finally {
    await body.remove();
  }
}
