/**
 * What one piece of revocation data says about one certificate at one time.
 * Shared by the OCSP and CRL readers so the caller can rank them alike.
 */
export interface RevocationVerdict {
  /** False when the data is about another certificate or issuer: ignore it, it is no failure. */
  readonly applicable: boolean;
  readonly status: 'good' | 'revoked' | 'unknown';
  /** The revocation time the data states, also when it is after the time asked about. */
  readonly revokedAt: Date | null;
  /**
   * For 'revoked' (and 'good' with a later revocation): the CRLReason name (RFC 5280 §5.3.1).
   * For 'unknown': why the data could not decide.
   */
  readonly reason: string | null;
  /** OCSP producedAt, or the CRL's thisUpdate. */
  readonly producedAt: Date | null;
}

/** A verdict for data that concerns something else. */
export const notApplicable = (why: string): RevocationVerdict => ({
  applicable: false, status: 'unknown', revokedAt: null, reason: why, producedAt: null,
});

/** A verdict for applicable data that cannot be used. */
export const unusable = (why: string, producedAt: Date | null = null): RevocationVerdict => ({
  applicable: true, status: 'unknown', revokedAt: null, reason: why, producedAt,
});

/** CRLReason names (RFC 5280 §5.3.1); value 7 is unused. */
export const CRL_REASONS: Record<number, string> = {
  0: 'unspecified',
  1: 'keyCompromise',
  2: 'cACompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
  6: 'certificateHold',
  8: 'removeFromCRL',
  9: 'privilegeWithdrawn',
  10: 'aACompromise',
};

/** Tolerated clock difference between the data's issuer and the validation clock. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Decides from a stated revocation (or none) whether the certificate was
 * revoked at `at`. A revocation after `at` leaves the certificate good at `at`
 * (the time is kept for past-signature validation, ETSI EN 319 102-1 §5.6.2.4).
 * Without a revocation, the data proves "not revoked" only over the period it
 * covers: up to nextUpdate, or at least up to thisUpdate when it has none.
 */
export function decide(
  revocation: { time: Date; reason: string | null } | null,
  validity: { thisUpdate: Date; nextUpdate: Date | null; producedAt: Date },
  at: Date,
): RevocationVerdict {
  const producedAt = validity.producedAt;
  if (revocation && revocation.time.getTime() <= at.getTime()) {
    return { applicable: true, status: 'revoked', revokedAt: revocation.time, reason: revocation.reason, producedAt };
  }
  const covers =
    validity.thisUpdate.getTime() >= at.getTime() ||
    (validity.nextUpdate !== null && validity.nextUpdate.getTime() >= at.getTime());
  if (!covers) {
    const until = validity.nextUpdate ?? validity.thisUpdate;
    return unusable(`stale: the data speaks up to ${until.toISOString()}, before ${at.toISOString()}`, producedAt);
  }
  return {
    applicable: true,
    status: 'good',
    revokedAt: revocation ? revocation.time : null,
    reason: revocation ? revocation.reason : null,
    producedAt,
  };
}
