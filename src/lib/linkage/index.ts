/**
 * Simpul record linkage for Indonesian identities: a standalone library (no import from the rest
 * of the product). See README.md.
 */

// Normalisers, phonetic key, NIK/KK parsing and comparators.
export * from './normalize.ts';
export * from './phonetic.ts';
export * from './nik.ts';
export * from './compare.ts';

// Fellegi-Sunter scoring (EM or hand-set m/u), explanations; blocking; clustering with a chain guard.
export * from './model.ts';
export * from './blocking.ts';
export * from './cluster.ts';

// A ready-made model for Indonesian beneficiary registries (comparisons and blocking rules).
export * from './beneficiary.ts';

// Privacy-preserving linkage: HMAC of the NIK and Bloom-filter encodings (the one module that needs
// Node: node:crypto); synthetic Indonesian beneficiaries with ground truth for tests and benches.
export * from './pprl.ts';
export * from './synthetic/index.ts';
