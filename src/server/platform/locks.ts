/**
 * PostgreSQL advisory lock keys, in one place so no two uses ever share a key by accident.
 * Session-level locks serialise start-up work across app processes; transaction-level ones
 * serialise writers inside a transaction.
 */
export const LOCK_KEYS = {
  migrations: 7_270_001,
  auditChain: 7_270_002,
  firstRunSetup: 7_270_003,
  referenceData: 7_270_004,
  lastAdminGuard: 7_270_005,
  /** Two-key form (this, hashtext(identifier)): registrations of beneficiaries sharing a NIK or KK. */
  beneficiaryIdentifier: 7_270_101,
  /** Two-key form (this, hashtext(client key)): one sliding-window limit (platform/rate-limit.ts). */
  rateLimit: 7_270_102,
} as const;
