/** Synthetic Indonesian beneficiaries with ground truth (see generate.ts and the README). */
export {
  generateRecords,
  generateDataset,
  countTruePairs,
  toCsvLine,
  addTypo,
  toOldSpelling,
  CSV_COLUMNS,
  DEFAULT_ERROR_RATES,
  DEFAULT_MISSING_RATES,
  DEFAULT_SOURCES,
  type SyntheticRecord,
  type SyntheticOptions,
  type ErrorRates,
  type MissingRates,
  type Sex,
} from './generate.ts';
export { Rng } from './prng.ts';
export { REGENCIES, type Regency, type District, type NameGroup } from './regions.ts';
