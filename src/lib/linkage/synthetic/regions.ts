/**
 * Real regency and district codes (Kepmendagri, via idn-area-data; see regions-data.ts), with a
 * rough population weight per province and the regional mix of naming traditions, so generated
 * people live where people live and are named the way people there are named.
 */
import { REGION_LINES } from './regions-data.ts';

export interface District {
  /** "32.73.01" */
  code: string;
  name: string;
  /** "327301": the code as the first six digits of a NIK or KK. */
  digits: string;
}

export interface Regency {
  /** "32.73" */
  code: string;
  provinceCode: string;
  name: string;
  districts: District[];
}

export const REGENCIES: readonly Regency[] = REGION_LINES.split('\n').map((line) => {
  const [code, name, districtList] = line.split('|');
  return {
    code,
    provinceCode: code.slice(0, 2),
    name,
    districts: districtList.split(';').map((entry) => ({
      code: `${code}.${entry.slice(0, 2)}`,
      name: entry.slice(3),
      digits: `${code.replace('.', '')}${entry.slice(0, 2)}`,
    })),
  };
});

/**
 * Approximate population in millions (2020 census; the Papua provinces split in 2022 are shared
 * out roughly). Only used to weight where people are drawn from, so precision does not matter.
 */
export const PROVINCE_POPULATION: Readonly<Record<string, number>> = {
  '11': 5.3, '12': 14.8, '13': 5.5, '14': 6.4, '15': 3.5, '16': 8.5, '17': 2.0, '18': 9.0, '19': 1.5, '21': 2.1,
  '31': 10.6, '32': 48.3, '33': 36.5, '34': 3.7, '35': 40.7, '36': 11.9,
  '51': 4.3, '52': 5.3, '53': 5.3,
  '61': 5.4, '62': 2.7, '63': 4.1, '64': 3.8, '65': 0.7,
  '71': 2.6, '72': 3.0, '73': 9.1, '74': 2.6, '75': 1.2, '76': 1.4,
  '81': 1.8, '82': 1.3,
  '91': 1.0, '92': 0.6, '93': 0.5, '94': 1.4, '95': 1.4, '96': 0.6,
};

/** Naming traditions the generator knows (see names.ts). */
export type NameGroup =
  | 'javanese' | 'sundanese' | 'batak' | 'minang' | 'bugis' | 'balinese' | 'muslim' | 'malay'
  | 'chinese' | 'ntt' | 'maluku' | 'papua' | 'minahasa';

const PAPUA_MIX: Partial<Record<NameGroup, number>> = { papua: 65, javanese: 10, bugis: 10, maluku: 10, ntt: 5 };

/** Rough share of naming traditions per province: a sketch of who lives where, not a census. */
export const PROVINCE_NAME_MIX: Readonly<Record<string, Partial<Record<NameGroup, number>>>> = {
  '11': { muslim: 85, javanese: 10, batak: 5 },
  '12': { batak: 45, malay: 20, javanese: 25, chinese: 10 },
  '13': { minang: 90, javanese: 5, batak: 5 },
  '14': { malay: 40, minang: 25, javanese: 25, batak: 10 },
  '15': { malay: 50, javanese: 30, minang: 20 },
  '16': { malay: 65, javanese: 30, chinese: 5 },
  '17': { malay: 60, javanese: 25, minang: 15 },
  '18': { javanese: 60, malay: 20, sundanese: 15, balinese: 5 },
  '19': { malay: 65, chinese: 25, javanese: 10 },
  '21': { malay: 40, javanese: 25, chinese: 15, batak: 10, minang: 10 },
  '31': { javanese: 35, sundanese: 15, muslim: 20, chinese: 10, batak: 8, minang: 7, minahasa: 5 },
  '32': { sundanese: 70, javanese: 15, muslim: 12, chinese: 3 },
  '33': { javanese: 90, muslim: 8, chinese: 2 },
  '34': { javanese: 90, muslim: 8, chinese: 2 },
  '35': { javanese: 80, muslim: 15, chinese: 5 },
  '36': { sundanese: 45, javanese: 20, muslim: 30, chinese: 5 },
  '51': { balinese: 88, javanese: 8, muslim: 4 },
  '52': { muslim: 85, balinese: 10, javanese: 5 },
  '53': { ntt: 90, muslim: 10 },
  '61': { malay: 45, chinese: 20, javanese: 15, ntt: 20 },
  '62': { malay: 45, javanese: 30, muslim: 25 },
  '63': { malay: 75, javanese: 20, muslim: 5 },
  '64': { javanese: 30, bugis: 25, malay: 30, muslim: 15 },
  '65': { bugis: 30, malay: 40, javanese: 30 },
  '71': { minahasa: 70, muslim: 25, chinese: 5 },
  '72': { bugis: 30, muslim: 50, minahasa: 20 },
  '73': { bugis: 90, muslim: 7, chinese: 3 },
  '74': { bugis: 50, muslim: 40, javanese: 10 },
  '75': { muslim: 95, minahasa: 5 },
  '76': { bugis: 70, muslim: 30 },
  '81': { maluku: 85, muslim: 15 },
  '82': { muslim: 70, maluku: 30 },
  '91': PAPUA_MIX, '92': PAPUA_MIX, '93': PAPUA_MIX, '94': PAPUA_MIX, '95': PAPUA_MIX, '96': PAPUA_MIX,
};
