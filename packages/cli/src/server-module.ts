import { isErrorCode, KysoError, kysoError } from '@kyso/core';

/**
 * `@kyso/server`, loaded only by the verbs that need it (serve, worker, audit --queue).
 *
 * The bundled CLI carries its own copy of @kyso/core while @kyso/server loads the package's, so an
 * error thrown in the server is a KysoError of another copy: `instanceof` fails and the CLI would
 * report ERR_QUEUE_UNREACHABLE as ERR_INTERNAL (exit 70). Errors crossing back are adopted by their
 * code into this copy's class, with the original as cause.
 */
export async function withServer<T>(use: (server: typeof import('@kyso/server')) => Promise<T>): Promise<T> {
  const server = await import('@kyso/server');
  // `kyso serve` gets the CLI's audit (file walk, worker options, report writer) for POST /v1/audit.
  const withAudit: typeof server = {
    ...server,
    serveCommand: async (argv, hooks) => {
      const { auditReporter } = await import('./serve-audit.js');
      return server.serveCommand(argv, { auditReporter, ...hooks });
    },
  };
  try {
    return await use(withAudit);
  } catch (error) {
    throw adoptError(error);
  }
}

/** A KysoError of another copy of @kyso/core as one of this copy (same code and detail); anything else unchanged. */
export function adoptError(error: unknown): unknown {
  if (error instanceof KysoError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (!isErrorCode(code) || !('text' in error)) return error;
  const detail = (error as { detail?: unknown }).detail;
  return kysoError(code, typeof detail === 'string' ? detail : undefined, error);
}
