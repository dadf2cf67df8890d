/**
 * What `kyso serve` needs from the CLI to answer `POST /v1/audit` with the report of `kyso audit`:
 * the same file walk, the same worker options (as `kyso worker` decodes them) and the same report
 * writer. The server package cannot import the CLI (the CLI depends on it), so the CLI hands these over.
 */
import { resolve } from 'node:path';
import type { AuditReporter } from '@kyso/server';
import { formatAudit } from './audit-command.js';
import { compareText, errorRow, summarize, type AuditRow } from './audit/model.js';
import type { WorkerConfig } from './audit/protocol.js';
import { encodeConfig } from './audit/queued.js';
import { findPdfs } from './audit/walk.js';

export const auditReporter: AuditReporter = {
  jobOptions(query, trust) {
    const at = (query.at ?? new Date()).toISOString();
    const config: WorkerConfig = {
      trust: [...query.profiles, ...trust],
      revocation: query.revocation,
      ...(query.policy === 'legacy' ? { policy: 'legacy' as const } : {}),
      at,
    };
    return { options: encodeConfig(config), at };
  },
  findFiles(folder) {
    return findPdfs(folder).files.map((f) => ({ file: resolve(f.file), path: f.path }));
  },
  report(entries, at, format, lang, folder) {
    // The rows verifyOnQueue makes for kyso audit --queue, in the order findPdfs gives kyso audit.
    const rows: AuditRow[] = entries
      .map((e) => (e.result.ok ? { ...(e.result.value as AuditRow), path: e.path } : errorRow(e.path, e.result.code)))
      .sort((a, b) => compareText(a.path, b.path));
    return formatAudit({ rows, summary: summarize(rows, at) }, format, lang, folder);
  },
};
