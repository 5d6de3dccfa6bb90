/**
 * Demo data for the registry: chapters, communities, members and partners that look like the
 * network's own (about 300 chapters, 5,000 communities, 100,000 members by default), so a newcomer
 * sees a living product and the benchmarks have something to chew on.
 *
 * - Deterministic: the same seed and `now` give the same rows (a small PRNG, no Math.random).
 * - Realistic: chapters weighted towards Java, Bali and the big cities but present in all 38
 *   provinces; community names from the patterns communities use ("Komunitas Fotografi Bandung",
 *   "Kolektif Kriya Bantul", "Sanggar Tari Sekar Sleman") with matching subsectors; member names from
 *   regional name pools (Javanese, Sundanese, Batak, Minang, Bugis, Balinese, Chinese-Indonesian,
 *   Arabic-influenced, …, some in the old spelling); NIKs that pass `parseNik` and agree with the
 *   member's district, birth date and gender; `verified_at` spread over 24 months with some regencies
 *   fresher than others, so "data freshness" per region means something.
 * - Safe: e-mail addresses and websites use the reserved `.example` names (RFC 2606), so nothing
 *   can reach a real mailbox. Phone numbers are random +628… numbers in a valid format; they may
 *   exist, so never send messages to demo members.
 * - Fast: rows are generated in memory, then inserted with `unnest` in chunks inside ONE
 *   transaction (all or nothing), with every member row marked `source = 'demo'`.
 *
 * It refuses to run when the registry already has members: demo data never mixes with real data.
 */
import { sql } from 'kysely';
import { normalizePersonName } from '../../../lib/names/index.ts';
import type { DB, Engine, Queryable } from '../../platform/db.ts';
import type { LegalStatus, PartnerType } from '../../platform/schema.ts';
import { SUBSECTORS, type SubsectorCode } from '../subsectors/data.ts';

export interface DemoOptions {
  chapters?: number;
  communities?: number;
  members?: number;
  /** Any string or number; the same seed gives the same data. */
  seed?: string | number;
  /** The moment the data is generated relative to (verification and registration dates). Default: now. */
  now?: Date;
}

export interface DemoReport {
  chapters: number;
  communities: number;
  members: number;
  memberSubsectors: number;
  memberCommunities: number;
  partners: number;
  agreements: number;
  generateMs: number;
  insertMs: number;
  totalMs: number;
}

export const DEMO_DEFAULTS = { chapters: 300, communities: 5000, members: 100_000, seed: 'simpul' } as const;

/** The registry already holds members: demo data is only for an empty system. */
export class DemoRefusedError extends Error {
  constructor(readonly existingMembers: number) {
    super(`The registry already has members (${existingMembers}); demo data is only loaded into an empty registry.`);
    this.name = 'DemoRefusedError';
  }
}

// ------------------------------------------------------------------------------------------------
// Random numbers: sfc32 seeded with cyrb128 of the seed's text. Small, fast and reproducible.

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    let h1 = 1779033703;
    let h2 = 3144134277;
    let h3 = 1013904242;
    let h4 = 2773480762;
    for (let i = 0; i < seed.length; i++) {
      const k = seed.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    this.a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
    this.b = (h2 ^ h1) >>> 0;
    this.c = (h3 ^ h1) >>> 0;
    this.d = (h4 ^ h1) >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** [0, 1) */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Approximately normal (sum of three uniforms), mean 0, sd 1. */
  normal(): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }
}

/** Draws indexes with probability proportional to their weight (cumulative sums + binary search). */
class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weight: (item: T) => number,
  ) {
    let sum = 0;
    for (const item of items) {
      sum += Math.max(0, weight(item));
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

function weightedFrom<K extends string>(entries: Record<K, number>): Weighted<K> {
  const keys = Object.keys(entries) as K[];
  return new Weighted(keys, (k) => entries[k]);
}

// ------------------------------------------------------------------------------------------------
// Where: provinces, regencies and how much creative life each has.

/** Population in millions (2023, rounded), the base weight of each province. */
const PROVINCE_POPULATION: Record<string, number> = {
  '11': 5.4, '12': 15.4, '13': 5.7, '14': 6.7, '15': 3.7, '16': 8.8, '17': 2.1, '18': 9.3, '19': 1.5, '21': 2.2,
  '31': 10.7, '32': 50.0, '33': 37.5, '34': 3.7, '35': 41.5, '36': 12.4,
  '51': 4.4, '52': 5.6, '53': 5.6,
  '61': 5.6, '62': 2.7, '63': 4.2, '64': 4.0, '65': 0.7,
  '71': 2.7, '72': 3.1, '73': 9.4, '74': 2.8, '75': 1.2, '76': 1.5,
  '81': 1.9, '82': 1.3,
  '91': 1.1, '92': 0.6, '93': 0.5, '94': 1.4, '95': 1.4, '96': 0.6,
};

/** The creative economy is denser than the population in some provinces. */
const PROVINCE_CREATIVE_FACTOR: Record<string, number> = { '31': 2.2, '34': 3, '51': 2.4, '32': 1.3, '35': 1.1, '36': 1.0, '33': 1.0 };

/** Cities and regencies with a strong creative scene: many more communities and members. */
const CREATIVE_HUBS = new Map<string, number>([
  ['Kota Bandung', 6], ['Kota Yogyakarta', 5], ['Kota Denpasar', 4], ['Kota Surabaya', 4], ['Kota Malang', 4],
  ['Kota Administrasi Jakarta Selatan', 5], ['Kota Administrasi Jakarta Pusat', 4], ['Kota Administrasi Jakarta Barat', 3],
  ['Kota Administrasi Jakarta Timur', 3], ['Kota Administrasi Jakarta Utara', 2], ['Kota Semarang', 3], ['Kota Surakarta', 3],
  ['Kota Medan', 3], ['Kota Makassar', 3], ['Kabupaten Sleman', 3], ['Kabupaten Bantul', 2.5], ['Kabupaten Gianyar', 2.5],
  ['Kabupaten Badung', 2], ['Kota Bogor', 2], ['Kota Depok', 2], ['Kota Bekasi', 2], ['Kota Tangerang', 2],
  ['Kota Tangerang Selatan', 2.5], ['Kota Cimahi', 2], ['Kota Cirebon', 2], ['Kota Palembang', 2], ['Kota Padang', 2],
  ['Kota Pekanbaru', 2], ['Kota Batam', 2], ['Kota Balikpapan', 1.8], ['Kota Samarinda', 1.8], ['Kota Manado', 2],
  ['Kota Pontianak', 1.8], ['Kota Banjarmasin', 1.8], ['Kota Mataram', 1.8], ['Kota Kupang', 1.6], ['Kota Ambon', 1.8],
  ['Kota Banda Aceh', 1.6], ['Kota Bandar Lampung', 1.8], ['Kota Jambi', 1.5], ['Kota Pekalongan', 2], ['Kota Tasikmalaya', 1.6],
  ['Kabupaten Jepara', 2], ['Kota Batu', 1.8], ['Kabupaten Banyuwangi', 1.6], ['Kota Salatiga', 1.5], ['Kota Magelang', 1.5],
  ['Kabupaten Bandung', 1.6], ['Kabupaten Bogor', 1.4], ['Kota Jayapura', 1.5], ['Kota Palu', 1.4], ['Kota Kendari', 1.3],
]);

interface Place {
  code: string;
  name: string;
  /** "Bandung" for "Kota Bandung": how people name a place in a community's name. */
  short: string;
  province: string;
  weight: number;
  districts: { code: string; short: string }[];
  /** Share of this regency's active members verified in the last 12 months. */
  freshness: number;
}

function shortName(name: string): string {
  return name.replace(/^(Kabupaten|Kota)( Administrasi)? /, '');
}

function buildPlaces(
  rng: Rng,
  regencies: { code: string; name: string }[],
  districts: { code: string; name: string; parent_code: string | null }[],
): Place[] {
  const byParent = new Map<string, { code: string; short: string }[]>();
  for (const d of districts) {
    const list = byParent.get(d.parent_code ?? '') ?? [];
    list.push({ code: d.code, short: d.name });
    byParent.set(d.parent_code ?? '', list);
  }
  const perProvince = new Map<string, number>();
  for (const r of regencies) perProvince.set(r.code.slice(0, 2), (perProvince.get(r.code.slice(0, 2)) ?? 0) + 1);
  return regencies.map((r) => {
    const province = r.code.slice(0, 2);
    const base = ((PROVINCE_POPULATION[province] ?? 1) * (PROVINCE_CREATIVE_FACTOR[province] ?? 0.8)) / (perProvince.get(province) ?? 1);
    const isCity = r.name.startsWith('Kota ');
    const weight = base * (isCity ? 1.6 : 1) * (CREATIVE_HUBS.get(r.name) ?? 1) * (0.7 + 0.6 * rng.next());
    return {
      code: r.code,
      name: r.name,
      short: shortName(r.name),
      province,
      weight,
      districts: byParent.get(r.code) ?? [],
      freshness: 0.25 + 0.7 * rng.next(),
    };
  });
}

/**
 * `count` regencies, weighted without replacement (Efraimidis–Spirakis keys); when there are at
 * least as many chapters as provinces, every province gets one first.
 */
function chooseChapterPlaces(rng: Rng, places: Place[], count: number): Place[] {
  const keyOf = new Map(places.map((p) => [p.code, Math.log(rng.next() || 1e-12) / p.weight]));
  const byKey = (a: Place, b: Place) => keyOf.get(b.code)! - keyOf.get(a.code)!;
  const chosen = new Set<Place>();
  if (count >= new Set(places.map((p) => p.province)).size) {
    const best = new Map<string, Place>();
    for (const p of [...places].sort(byKey)) if (!best.has(p.province)) best.set(p.province, p);
    for (const p of best.values()) chosen.add(p);
  }
  for (const p of [...places].sort(byKey)) {
    if (chosen.size >= count) break;
    chosen.add(p);
  }
  return [...chosen].sort((a, b) => a.code.localeCompare(b.code));
}

// ------------------------------------------------------------------------------------------------
// Who: regional name pools. Each builds a whole name for a gender.

type Gender = 'L' | 'P';
type PoolName =
  | 'jawa' | 'sunda' | 'batak' | 'minang' | 'melayu' | 'aceh' | 'bugis' | 'bali' | 'sasak'
  | 'tionghoa' | 'arab' | 'minahasa' | 'maluku' | 'ntt' | 'papua' | 'modern';

const JAWA_L = ['Budi', 'Agus', 'Joko', 'Bambang', 'Slamet', 'Sugeng', 'Wahyu', 'Eko', 'Dwi', 'Tri', 'Hadi', 'Suryo', 'Bayu', 'Adi', 'Teguh', 'Heru', 'Yudi', 'Bagus', 'Cahyo', 'Dimas', 'Aji', 'Ari', 'Sigit', 'Widodo', 'Gunadi', 'Prabowo', 'Haryanto', 'Supriyadi', 'Sutrisno', 'Yanto'];
const JAWA_P = ['Sri', 'Siti', 'Dewi', 'Endang', 'Wulan', 'Ratna', 'Rini', 'Lestari', 'Ayu', 'Sekar', 'Retno', 'Tri', 'Kartika', 'Puspita', 'Rahayu', 'Yuni', 'Ningsih', 'Sulastri', 'Suryani', 'Indah', 'Wening', 'Asih', 'Tutik', 'Winarni', 'Anjani'];
const JAWA_LAST = ['Santoso', 'Wibowo', 'Susanto', 'Prasetyo', 'Nugroho', 'Hartono', 'Setiawan', 'Kurniawan', 'Wijaya', 'Saputra', 'Purnomo', 'Handoko', 'Hidayat', 'Utomo', 'Sutanto', 'Raharjo', 'Wicaksono', 'Pamungkas', 'Cahyono', 'Suryadi', 'Wardoyo', 'Setyawan'];
const JAWA_LAST_P = ['Rahayu', 'Lestari', 'Wulandari', 'Utami', 'Astuti', 'Suryani', 'Pratiwi', 'Wahyuningsih', 'Handayani', 'Kusumawati', 'Rahmawati', 'Setyaningsih', 'Purwanti', 'Susilowati', 'Anggraeni'];
const SUNDA_L = ['Asep', 'Ujang', 'Dadang', 'Cecep', 'Encep', 'Dede', 'Yayat', 'Iwan', 'Deden', 'Agus', 'Aep', 'Jajang', 'Ade', 'Yusuf', 'Rizal', 'Rahmat', 'Engkus', 'Ganjar', 'Hendra', 'Dadan', 'Kurnia', 'Dikdik'];
const SUNDA_P = ['Euis', 'Neneng', 'Iis', 'Imas', 'Cucu', 'Nining', 'Yuyun', 'Lilis', 'Ai', 'Enok', 'Nenden', 'Rina', 'Neng', 'Siti', 'Tati', 'Popon', 'Nunung', 'Wiwin', 'Rosita', 'Desi'];
const SUNDA_LAST = ['Sunarya', 'Sutisna', 'Suryana', 'Permana', 'Hidayat', 'Ruhiyat', 'Saepudin', 'Hermawan', 'Gunawan', 'Kusnadi', 'Rukmana', 'Hendrayana', 'Setiadi', 'Nugraha', 'Sobari', 'Sumantri', 'Wiradinata', 'Kartasasmita', 'Somantri'];
const SUNDA_LAST_P = ['Nurhayati', 'Kurniasih', 'Rosita', 'Sulastri', 'Nurjanah', 'Komalasari', 'Rostika', 'Sumiati', 'Maryani', 'Sukaesih', 'Herawati', 'Mulyani'];
const BATAK_L = ['Togar', 'Parlindungan', 'Hotman', 'Benny', 'Sahat', 'Jonggi', 'Poltak', 'Martua', 'Daniel', 'Ferdinand', 'Tigor', 'Bonar', 'Ronald', 'Hendrik', 'Jhon', 'Rudi', 'Samuel', 'Edward', 'Ucok', 'Frans'];
const BATAK_P = ['Rosmawati', 'Lasma', 'Debora', 'Rugun', 'Tiurma', 'Sondang', 'Maria', 'Ruth', 'Ester', 'Dame', 'Friska', 'Rotua', 'Sarma', 'Lamtiur', 'Yohana', 'Melati', 'Nurmala', 'Romauli'];
const BATAK_MARGA = ['Siregar', 'Nasution', 'Simanjuntak', 'Sitompul', 'Hutagalung', 'Pardede', 'Situmorang', 'Sinaga', 'Manurung', 'Lubis', 'Harahap', 'Panjaitan', 'Simatupang', 'Tambunan', 'Sihombing', 'Ginting', 'Tarigan', 'Sembiring', 'Purba', 'Damanik', 'Saragih', 'Hutapea', 'Napitupulu', 'Silalahi', 'Pasaribu', 'Sitorus', 'Marpaung', 'Hasibuan'];
const MINANG_L = ['Rizky', 'Fadli', 'Irwan', 'Hendri', 'Yusrizal', 'Afrizal', 'Zulkifli', 'Syafri', 'Erizal', 'Defri', 'Andika', 'Fikri', 'Rahmat', 'Yuliandri', 'Nofrizal', 'Alfian', 'Gusnaldi', 'Rony', 'Taufik', 'Feri'];
const MINANG_P = ['Yusnidar', 'Rosmaniar', 'Fitri', 'Yenni', 'Desi', 'Nurhayati', 'Elvina', 'Ratna', 'Mardiana', 'Syafrida', 'Lisna', 'Yuliarni', 'Nelly', 'Afrida', 'Rahmi', 'Zuraida', 'Yesi', 'Mega'];
const MINANG_LAST = ['Chaniago', 'Piliang', 'Tanjung', 'Koto', 'Sikumbang', 'Jambak', 'Putra', 'Putri', 'Syam', 'Effendi', 'Yanti', 'Murni', 'Hamzah', 'Rasyid', 'Anwar', 'Navis', 'Ilyas', 'Hendra'];
const MELAYU_L = ['Syahrial', 'Zulkarnain', 'Raja', 'Tengku', 'Azhar', 'Hamdan', 'Fauzi', 'Said', 'Jefri', 'Rudi', 'Khairul', 'Syamsuddin', 'Aidil', 'Firdaus', 'Hasbullah', 'Ilham', 'Rahman', 'Yusuf'];
const MELAYU_P = ['Nurlela', 'Zubaidah', 'Siti', 'Juliana', 'Maimunah', 'Rohana', 'Nurul', 'Hasanah', 'Azizah', 'Faridah', 'Salmah', 'Mariana', 'Khairani', 'Rosnani', 'Suryati'];
const MELAYU_LAST = ['Syahputra', 'Rahman', 'Hamid', 'Saleh', 'Ismail', 'Yusuf', 'Ahmad', 'Husin', 'Abdullah', 'Jamil', 'Kadir', 'Latif', 'Daud', 'Harun', 'Ramli', 'Hasan'];
const ACEH_L = ['Zulfikar', 'Iskandar', 'Muzakir', 'Safrizal', 'Fadhlullah', 'Mukhlis', 'Teuku Rizal', 'Teuku Fajri', 'Rahmat', 'Mawardi', 'Nazaruddin', 'Fakhrurrazi', 'Husaini', 'Zulkifli', 'Syarifuddin', 'Munawar'];
const ACEH_P = ['Cut Nyak', 'Cut Putri', 'Nurul', 'Rahmah', 'Zahratul', 'Nurhayati', 'Mutia', 'Fitriani', 'Raihan', 'Maulidar', 'Safrina', 'Rauzatul', 'Yusnidar', 'Intan'];
const ACEH_LAST = ['Abdullah', 'Ibrahim', 'Yusuf', 'Hasan', 'Ismail', 'Daud', 'Usman', 'Basyah', 'Amin', 'Jalil', 'Idris', 'Syah', 'Muhammad', 'Yahya'];
const BUGIS_L = ['Muhammad', 'Syamsul', 'Baso', 'Amiruddin', 'Arifin', 'Ilham', 'Irfan', 'Akbar', 'Hasanuddin', 'Nasrullah', 'Sudirman', 'Jumadi', 'Syahrul', 'Rusdi', 'Haerul', 'Muhlis', 'Asdar', 'Hamka', 'Syarifuddin', 'Anwar'];
const BUGIS_P = ['Nurhayati', 'Hasnah', 'Sitti', 'Nurlina', 'Hasmawati', 'Rosdiana', 'Jumriah', 'Hasriani', 'Fitriani', 'Sumarni', 'Nurfadillah', 'Hastuti', 'Marlina', 'Nuraeni', 'Besse', 'Wahyuni', 'Rahmawati', 'Indo'];
const BUGIS_LAST = ['Mappaseng', 'Pawelloi', 'Daeng', 'Ramli', 'Lewa', 'Latif', 'Baso', 'Mattalitti', 'Hamzah', 'Sanusi', 'Tahir', 'Rauf', 'Mallarangeng', 'Makkasau', 'Palallo', 'Rante', 'Tandi', 'Pasolon', 'Syam', 'Arsyad'];
const BALI_L_ORDER = ['Wayan', 'Putu', 'Gede', 'Made', 'Kadek', 'Nyoman', 'Komang', 'Ketut'];
const BALI_P_ORDER = ['Luh Putu', 'Luh Made', 'Putu', 'Made', 'Kadek', 'Nyoman', 'Komang', 'Ketut', 'Wayan'];
const BALI_L = ['Suarjana', 'Sudarma', 'Wirawan', 'Artawan', 'Suardana', 'Sukerta', 'Mahendra', 'Adnyana', 'Budiarta', 'Wiranata', 'Dharma', 'Sutama', 'Arimbawa', 'Suparta', 'Ariawan', 'Widiana', 'Astawa', 'Wirya', 'Agus', 'Eka'];
const BALI_P = ['Sriani', 'Ariani', 'Sukmawati', 'Widiastuti', 'Suryantini', 'Kusuma Dewi', 'Ayu Lestari', 'Sudiartini', 'Puspitasari', 'Ratih', 'Sekarini', 'Wulandari', 'Darmayanti', 'Suastini', 'Ayu Candra', 'Sintya'];
const BALI_CASTE_L = ['Ida Bagus', 'Anak Agung', 'Cokorda', 'I Gusti Ngurah', 'I Gusti Putu'];
const BALI_CASTE_P = ['Ida Ayu', 'Anak Agung Ayu', 'I Gusti Ayu', 'Desak', 'Jero'];
const SASAK_L = ['Lalu Muhammad', 'Lalu', 'Zainul', 'Hairul', 'Saparudin', 'Muhammad', 'Ahmad', 'Suhaimi', 'Zulkarnaen', 'Mahsun', 'Hamdi', 'Rusdi'];
const SASAK_P = ['Baiq', 'Baiq Nurul', 'Nurul', 'Hayati', 'Sumiati', 'Rohani', 'Maesarah', 'Khairunnisa', 'Wardah', 'Mardiah', 'Zuhriati'];
const SASAK_LAST = ['Hakim', 'Fathurrahman', 'Azhar', 'Majid', 'Zaini', 'Sahnan', 'Fauzan', 'Imran', 'Hilmi', 'Ridwan', 'Jayadi', 'Anwar'];
const TIONGHOA_L = ['Hendra', 'Budi', 'Yohanes', 'Steven', 'Kevin', 'Felix', 'William', 'Hengky', 'Albert', 'Ricky', 'Ivan', 'Jimmy', 'Andi', 'Sugianto', 'Darmawan', 'Surya', 'Edwin', 'Jonathan'];
const TIONGHOA_P = ['Lily', 'Meiliana', 'Susanti', 'Linda', 'Jessica', 'Angeline', 'Cindy', 'Vivian', 'Melinda', 'Fransiska', 'Yuliana', 'Shirley', 'Stefani', 'Lanny', 'Mei Ling', 'Grace', 'Natalia'];
const TIONGHOA_LAST = ['Tanoto', 'Wijaya', 'Halim', 'Gunawan', 'Kusuma', 'Santoso', 'Salim', 'Tanjaya', 'Lim', 'Tan', 'Liem', 'Wongso', 'Hartanto', 'Sutanto', 'Kurniadi', 'Setiadi', 'Lukito', 'Tjandra', 'Tjahjadi', 'Oei', 'Gozali', 'Sugiarto', 'Hadinata', 'Widjaja'];
const ARAB_L = ['Ahmad', 'Abdul Rahman', 'Fauzan', 'Hasan', 'Husein', 'Rizki', 'Farhan', 'Faisal', 'Ilham', 'Ihsan', 'Zainal', 'Arif', 'Hafiz', 'Syarif', 'Fadhil', 'Nur', 'Umar', 'Hamzah', 'Yusuf', 'Ridwan', 'Lukman', 'Salim', 'Abdullah', 'Irfan'];
const MUHAMMAD = ['Muhammad', 'Muhammad', 'Muhammad', 'Muhamad', 'Mohammad', 'Mochammad', 'Moh.', 'M.', 'Mochamad', 'Achmad'];
const ARAB_P = ['Fatimah', 'Aisyah', 'Khadijah', 'Nur', 'Siti', 'Zahra', 'Annisa', 'Nabila', 'Salma', 'Syifa', 'Aulia', 'Rahma', 'Hanifah', 'Maryam', 'Zainab', 'Nurul', 'Latifah', 'Laila', 'Shafira', 'Husna'];
const ARAB_LAST = ['Alatas', 'Assegaf', 'Alhabsyi', 'Bahasuan', 'Shahab', 'Alkaff', 'Hidayatullah', 'Rahman', 'Hakim', 'Fauzi', 'Syahputra', 'Maulana', 'Ramadhan', 'Nurdin', 'Fadillah', 'Hamid', 'Rasyid', 'Zubair', 'Bawazier', 'Baharun', 'Amrullah', 'Kurniawan'];
const CHRISTIAN_L = ['Yohanis', 'Markus', 'Yosef', 'Stefanus', 'Agustinus', 'Petrus', 'Fransiskus', 'Yakobus', 'Elia', 'Paulus', 'Yulius', 'Adrianus', 'Simon', 'Melkianus', 'Frengki', 'Alfons', 'Dominggus', 'Yeremias', 'Obed', 'Marthen'];
const CHRISTIAN_P = ['Natalia', 'Maria', 'Yuliana', 'Agustina', 'Yohana', 'Margaretha', 'Theresia', 'Veronika', 'Fransina', 'Selfina', 'Yuli', 'Elisabeth', 'Priska', 'Martha', 'Yosina', 'Kristina', 'Maria Goreti', 'Anastasia'];
const MINAHASA_LAST = ['Wenas', 'Lumowa', 'Rumengan', 'Sondakh', 'Mandagi', 'Pangemanan', 'Tumbelaka', 'Worang', 'Sumampouw', 'Kawilarang', 'Lengkong', 'Runtuwene', 'Tumewu', 'Rondonuwu', 'Karamoy', 'Walangitan', 'Mamahit', 'Supit'];
const MALUKU_LAST = ['Pattinama', 'Latuconsina', 'Lewerissa', 'Tuhumury', 'Matulessy', 'Sahertian', 'Siahaya', 'Tahapary', 'Manuputty', 'Sopacua', 'Latumahina', 'Pelupessy', 'Huwae', 'Wattimena', 'Tanamal', 'Leiwakabessy', 'Ohorella', 'Tuasikal'];
const NTT_LAST = ['Fernandez', 'da Costa', 'Ndoen', 'Nenobais', 'Bere', 'Lay', 'Tefa', 'Manafe', 'Kase', 'Seran', 'Nubatonis', 'Bataona', 'Lamablawa', 'Tallo', 'Riwu Kaho', 'Kolo', 'Mau', 'Dethan', 'Ratu', 'Bria'];
const PAPUA_LAST = ['Wenda', 'Kogoya', 'Wanimbo', 'Rumbiak', 'Mandowen', 'Kaisiepo', 'Mayor', 'Wakerkwa', 'Yoman', 'Karubaba', 'Rumbewas', 'Ayomi', 'Sawaki', 'Womsiwor', 'Krey', 'Tabuni', 'Murib', 'Gobai', 'Pigai', 'Douw'];
const MODERN_L = ['Rizky', 'Aditya', 'Dimas', 'Fajar', 'Reza', 'Bagus', 'Galih', 'Yoga', 'Rafi', 'Arya', 'Bima', 'Raka', 'Naufal', 'Daffa', 'Alif', 'Rangga', 'Kevin', 'Satria', 'Ilham', 'Gilang', 'Farel', 'Akbar', 'Haikal', 'Rio'];
const MODERN_P = ['Putri', 'Nabila', 'Anisa', 'Dinda', 'Salsabila', 'Aulia', 'Cantika', 'Nadia', 'Tiara', 'Amelia', 'Intan', 'Melati', 'Kirana', 'Alya', 'Zahra', 'Aurel', 'Citra', 'Anggun', 'Shinta', 'Tasya', 'Keisha', 'Rara', 'Laras', 'Azzahra'];
const MODERN_LAST = ['Pratama', 'Nugraha', 'Saputra', 'Ramadhan', 'Mahendra', 'Permana', 'Wijaya', 'Putra', 'Kusuma', 'Firmansyah', 'Hidayat', 'Prakoso', 'Adiputra', 'Maulana', 'Setiawan', 'Anggara', 'Syahputra', 'Hakim'];
const MODERN_LAST_P = ['Putri', 'Rahmawati', 'Amelia', 'Safitri', 'Lestari', 'Maharani', 'Permatasari', 'Anggraini', 'Ramadhani', 'Wulandari', 'Pertiwi', 'Oktaviani', 'Puspitasari', 'Febriani', 'Azzahra', 'Salsabila'];

/** "Joko Susanto" → "Djoko Soesanto": the spelling before 1972, still on many older people's papers. */
function oldSpelling(name: string): string {
  const map: Record<string, string> = { u: 'oe', j: 'dj', y: 'j', c: 'tj', U: 'Oe', J: 'Dj', Y: 'J', C: 'Tj' };
  return name.replace(/[ujycUJYC]/g, (ch) => map[ch]);
}

function twoOrThree(rng: Rng, first: string, middle: readonly string[], last: readonly string[], pSingle = 0.08, pThree = 0.2): string {
  if (rng.chance(pSingle)) return first;
  if (rng.chance(pThree)) return `${first} ${rng.pick(middle)} ${rng.pick(last)}`;
  return `${first} ${rng.pick(last)}`;
}

function makeName(rng: Rng, pool: PoolName, g: Gender, birthYear: number): string {
  const male = g === 'L';
  switch (pool) {
    case 'jawa': {
      const first = rng.pick(male ? JAWA_L : JAWA_P);
      const name = twoOrThree(rng, first, male ? JAWA_L : JAWA_P, male ? JAWA_LAST : JAWA_LAST_P, birthYear < 1975 ? 0.18 : 0.05);
      return birthYear < 1976 && rng.chance(0.3) ? oldSpelling(name) : name;
    }
    case 'sunda': {
      const name = twoOrThree(rng, rng.pick(male ? SUNDA_L : SUNDA_P), male ? SUNDA_L : SUNDA_P, male ? SUNDA_LAST : SUNDA_LAST_P, 0.06);
      return birthYear < 1972 && rng.chance(0.15) ? oldSpelling(name) : name;
    }
    case 'batak': {
      const first = rng.pick(male ? BATAK_L : BATAK_P);
      return rng.chance(0.25) ? `${first} ${rng.pick(male ? BATAK_L : BATAK_P)} ${rng.pick(BATAK_MARGA)}` : `${first} ${rng.pick(BATAK_MARGA)}`;
    }
    case 'minang':
      return twoOrThree(rng, rng.pick(male ? MINANG_L : MINANG_P), male ? MINANG_L : MINANG_P, MINANG_LAST, 0.05, 0.1);
    case 'melayu':
      return twoOrThree(rng, rng.pick(male ? MELAYU_L : MELAYU_P), male ? MELAYU_L : MELAYU_P, MELAYU_LAST, 0.04, 0.15);
    case 'aceh':
      return twoOrThree(rng, rng.pick(male ? ACEH_L : ACEH_P), male ? ACEH_L : ACEH_P, ACEH_LAST, 0.04, 0.1);
    case 'bugis': {
      const title = rng.chance(0.12) ? 'Andi ' : '';
      return title + twoOrThree(rng, rng.pick(male ? BUGIS_L : BUGIS_P), male ? BUGIS_L : BUGIS_P, BUGIS_LAST, 0.1, 0.15);
    }
    case 'bali': {
      const prefix = male ? 'I' : 'Ni';
      const head = rng.chance(0.12) ? rng.pick(male ? BALI_CASTE_L : BALI_CASTE_P) : `${prefix} ${rng.pick(male ? BALI_L_ORDER : BALI_P_ORDER)}`;
      const given = rng.pick(male ? BALI_L : BALI_P);
      return rng.chance(0.35) ? `${head} ${given} ${rng.pick(male ? BALI_L : BALI_P)}` : `${head} ${given}`;
    }
    case 'sasak':
      return twoOrThree(rng, rng.pick(male ? SASAK_L : SASAK_P), male ? ARAB_L : ARAB_P, SASAK_LAST, 0.05, 0.15);
    case 'tionghoa':
      return `${rng.pick(male ? TIONGHOA_L : TIONGHOA_P)} ${rng.pick(TIONGHOA_LAST)}`;
    case 'arab': {
      if (male && rng.chance(0.4)) return `${rng.pick(MUHAMMAD)} ${rng.pick(ARAB_L)}${rng.chance(0.5) ? ` ${rng.pick(ARAB_LAST)}` : ''}`;
      return twoOrThree(rng, rng.pick(male ? ARAB_L : ARAB_P), male ? ARAB_L : ARAB_P, ARAB_LAST, 0.04, 0.2);
    }
    case 'minahasa':
      return `${rng.pick(male ? CHRISTIAN_L : CHRISTIAN_P)} ${rng.pick(MINAHASA_LAST)}`;
    case 'maluku':
      return `${rng.pick(male ? CHRISTIAN_L : CHRISTIAN_P)} ${rng.pick(MALUKU_LAST)}`;
    case 'ntt':
      return `${rng.pick(male ? CHRISTIAN_L : CHRISTIAN_P)} ${rng.pick(NTT_LAST)}`;
    case 'papua':
      return `${rng.pick(male ? CHRISTIAN_L : CHRISTIAN_P)} ${rng.pick(PAPUA_LAST)}`;
    case 'modern':
      return twoOrThree(rng, rng.pick(male ? MODERN_L : MODERN_P), male ? MODERN_L : MODERN_P, male ? MODERN_LAST : MODERN_LAST_P, 0, 0.3);
  }
}

/** Which name pools a province's people draw from (shares), before the generational shift to modern names. */
const PROVINCE_POOLS: Record<string, Partial<Record<PoolName, number>>> = {
  '11': { aceh: 65, arab: 20, jawa: 5, modern: 10 },
  '12': { batak: 50, melayu: 10, jawa: 15, tionghoa: 10, arab: 5, modern: 10 },
  '13': { minang: 72, arab: 10, jawa: 4, batak: 4, modern: 10 },
  '14': { melayu: 35, minang: 15, jawa: 20, batak: 10, tionghoa: 5, modern: 15 },
  '15': { melayu: 40, jawa: 25, minang: 10, arab: 10, modern: 15 },
  '16': { melayu: 45, jawa: 25, arab: 10, tionghoa: 5, modern: 15 },
  '17': { melayu: 45, jawa: 20, minang: 10, arab: 10, modern: 15 },
  '18': { jawa: 50, melayu: 15, sunda: 10, arab: 10, modern: 15 },
  '19': { melayu: 50, tionghoa: 25, jawa: 10, modern: 15 },
  '21': { melayu: 40, tionghoa: 15, jawa: 15, batak: 10, minang: 5, modern: 15 },
  '31': { jawa: 24, sunda: 15, arab: 15, tionghoa: 12, batak: 10, minang: 8, bugis: 2, modern: 14 },
  '32': { sunda: 66, jawa: 10, arab: 8, tionghoa: 3, modern: 13 },
  '33': { jawa: 74, arab: 8, tionghoa: 4, modern: 14 },
  '34': { jawa: 70, arab: 6, tionghoa: 4, bali: 2, batak: 2, modern: 16 },
  '35': { jawa: 72, arab: 10, tionghoa: 4, modern: 14 },
  '36': { sunda: 45, jawa: 15, arab: 20, tionghoa: 5, modern: 15 },
  '51': { bali: 80, jawa: 8, modern: 12 },
  '52': { sasak: 55, arab: 20, bali: 8, jawa: 5, modern: 12 },
  '53': { ntt: 80, arab: 5, modern: 15 },
  '61': { melayu: 35, tionghoa: 20, jawa: 15, ntt: 10, modern: 20 },
  '62': { arab: 30, jawa: 25, melayu: 15, bugis: 10, modern: 20 },
  '63': { arab: 45, jawa: 20, melayu: 15, modern: 20 },
  '64': { jawa: 30, bugis: 25, arab: 20, melayu: 10, modern: 15 },
  '65': { bugis: 30, jawa: 25, arab: 20, melayu: 10, modern: 15 },
  '71': { minahasa: 75, arab: 5, modern: 20 },
  '72': { bugis: 45, arab: 25, jawa: 10, modern: 20 },
  '73': { bugis: 75, arab: 5, modern: 20 },
  '74': { bugis: 50, arab: 25, jawa: 5, modern: 20 },
  '75': { arab: 55, bugis: 20, modern: 25 },
  '76': { bugis: 60, arab: 20, modern: 20 },
  '81': { maluku: 65, arab: 20, modern: 15 },
  '82': { arab: 45, maluku: 30, modern: 25 },
  '91': { papua: 65, bugis: 10, jawa: 10, maluku: 5, modern: 10 },
  '92': { papua: 65, bugis: 10, jawa: 10, maluku: 5, modern: 10 },
  '93': { papua: 60, jawa: 20, bugis: 10, modern: 10 },
  '94': { papua: 75, bugis: 10, jawa: 5, modern: 10 },
  '95': { papua: 85, jawa: 5, modern: 10 },
  '96': { papua: 60, maluku: 10, bugis: 10, jawa: 10, modern: 10 },
};

// ------------------------------------------------------------------------------------------------
// What: subsectors, community name patterns, skills.

/** How often each subsector is someone's main one in a network of creative communities. */
const SUBSECTOR_WEIGHT: Record<SubsectorCode, number> = {
  kuliner: 14, kriya: 12, fesyen: 10, musik: 9, fotografi: 8, 'desain-komunikasi-visual': 8, 'film-animasi-dan-video': 7,
  'seni-pertunjukan': 7, 'seni-rupa': 6, aplikasi: 5, penerbitan: 3, 'desain-produk': 3, arsitektur: 2, 'desain-interior': 2,
  periklanan: 2, 'pengembang-permainan': 2, 'televisi-dan-radio': 1,
};

/** Subsectors that often come together (a photographer also makes videos). */
const RELATED: Record<SubsectorCode, SubsectorCode[]> = {
  aplikasi: ['pengembang-permainan', 'desain-komunikasi-visual', 'periklanan'],
  'pengembang-permainan': ['aplikasi', 'film-animasi-dan-video', 'desain-komunikasi-visual'],
  arsitektur: ['desain-interior', 'desain-produk', 'seni-rupa'],
  'desain-interior': ['arsitektur', 'desain-produk', 'kriya'],
  'desain-komunikasi-visual': ['periklanan', 'fotografi', 'seni-rupa', 'aplikasi'],
  'desain-produk': ['kriya', 'desain-interior', 'fesyen'],
  fesyen: ['kriya', 'desain-produk', 'fotografi'],
  'film-animasi-dan-video': ['fotografi', 'musik', 'televisi-dan-radio', 'periklanan'],
  fotografi: ['film-animasi-dan-video', 'desain-komunikasi-visual', 'periklanan'],
  kriya: ['fesyen', 'desain-produk', 'seni-rupa'],
  kuliner: ['kriya', 'fotografi', 'periklanan'],
  musik: ['seni-pertunjukan', 'film-animasi-dan-video', 'televisi-dan-radio'],
  penerbitan: ['desain-komunikasi-visual', 'seni-rupa', 'periklanan'],
  periklanan: ['desain-komunikasi-visual', 'fotografi', 'film-animasi-dan-video'],
  'seni-pertunjukan': ['musik', 'seni-rupa', 'film-animasi-dan-video'],
  'seni-rupa': ['kriya', 'desain-komunikasi-visual', 'seni-pertunjukan'],
  'televisi-dan-radio': ['film-animasi-dan-video', 'musik', 'periklanan'],
};

/** `{k}`: the place (regency or district name); `{n}`: a traditional name (Sekar Arum, Cipta Rasa…). */
const COMMUNITY_PATTERNS: Record<SubsectorCode, string[]> = {
  aplikasi: ['Komunitas Developer {k}', '{k} Tech Community', 'Kolektif Digital {k}', 'Komunitas Programmer {k}', 'Kelompok Belajar Koding {k}', 'Startup {k}'],
  'pengembang-permainan': ['Komunitas Game Developer {k}', '{k} Game Dev', 'Kolektif Gim {k}', 'Indie Game {k}', 'Komunitas Pengembang Gim {k}'],
  arsitektur: ['Komunitas Arsitek Muda {k}', 'Forum Arsitektur {k}', 'Kolektif Ruang {k}', 'Studio Arsitektur Rakyat {k}', 'Komunitas Rumah Adat {k}'],
  'desain-interior': ['Komunitas Desain Interior {k}', 'Forum Interior {k}', 'Kolektif Ruang Dalam {k}', 'Komunitas Penata Ruang {k}'],
  'desain-komunikasi-visual': ['Komunitas Desain Grafis {k}', 'Kolektif Ilustrator {k}', '{k} Design Club', 'Komunitas Tipografi {k}', 'Forum Desainer {k}', 'Komunitas Ilustrasi {k}'],
  'desain-produk': ['Komunitas Desain Produk {k}', 'Kolektif Produk Lokal {k}', 'Forum Desainer Produk {k}', 'Bengkel Desain {k}'],
  fesyen: ['Komunitas Fesyen {k}', 'Kolektif Batik {k}', 'Paguyuban Penjahit {k}', 'Komunitas Tenun {k}', 'Rumah Mode {k}', 'Komunitas Wastra {k}', 'Butik Kolektif {n} {k}'],
  'film-animasi-dan-video': ['Komunitas Film {k}', 'Kolektif Sinema {k}', 'Kineklub {k}', 'Komunitas Animasi {k}', '{k} Filmmaker', 'Komunitas Videografer {k}'],
  fotografi: ['Komunitas Fotografi {k}', 'Klub Foto {k}', 'Kolektif Lensa {k}', '{k} Photography Club', 'Komunitas Street Photography {k}', 'Komunitas Fotografer {k}'],
  kriya: ['Kolektif Kriya {k}', 'Paguyuban Perajin {k}', 'Sentra Kerajinan {k}', 'Komunitas Gerabah {k}', 'Kelompok Anyaman {k}', 'Komunitas Ukir {k}', 'Sanggar Kriya {n} {k}'],
  kuliner: ['Komunitas Kuliner {k}', 'Paguyuban UMKM Kuliner {k}', 'Komunitas Kopi {k}', 'Kolektif Pangan Lokal {k}', 'Forum Jajanan {k}', 'Komunitas Barista {k}', 'Dapur Bersama {n} {k}'],
  musik: ['Komunitas Musik {k}', 'Kolektif Musik {k}', 'Komunitas Gamelan {k}', 'Komunitas Jazz {k}', 'Komunitas Keroncong {k}', 'Komunitas Musisi Indie {k}', 'Sanggar Musik {n} {k}'],
  penerbitan: ['Komunitas Penulis {k}', 'Komunitas Literasi {k}', 'Kolektif Zine {k}', 'Lingkar Penulis {k}', 'Komunitas Komik {k}', 'Taman Baca {n} {k}'],
  periklanan: ['Komunitas Kreatif Iklan {k}', 'Forum Pemasar Digital {k}', 'Kolektif Konten {k}', 'Komunitas Kreator Konten {k}'],
  'seni-pertunjukan': ['Sanggar Tari {n} {k}', 'Sanggar Seni {n} {k}', 'Teater {n} {k}', 'Komunitas Teater {k}', 'Sanggar Tari {k}', 'Sanggar Wayang {n} {k}', 'Komunitas Tari {k}'],
  'seni-rupa': ['Komunitas Perupa {k}', 'Kolektif Seni Rupa {k}', 'Komunitas Mural {k}', 'Sanggar Lukis {n} {k}', 'Ruang Seni {k}', 'Komunitas Sketsa {k}'],
  'televisi-dan-radio': ['Komunitas Penyiar {k}', 'Komunitas Podcast {k}', 'Radio Komunitas {k}', 'Forum Broadcaster {k}'],
};

const TRADITIONAL_NAMES = ['Sekar Arum', 'Cipta Rasa', 'Laras', 'Wiyata', 'Karya Muda', 'Bhinneka', 'Nusantara', 'Kencana', 'Mekar Sari', 'Lestari', 'Puspa Sari', 'Sekar Jagad', 'Cempaka', 'Kenanga', 'Melati', 'Gema', 'Tunas Harapan', 'Citra Budaya', 'Swara', 'Bumi'];

const SKILLS: Record<SubsectorCode, string[]> = {
  aplikasi: ['pengembangan aplikasi Android', 'pemrograman web', 'UI/UX', 'React', 'Flutter', 'Laravel', 'basis data', 'pengujian perangkat lunak'],
  'pengembang-permainan': ['desain gim', 'Unity', 'Godot', 'pixel art', 'animasi karakter', 'desain level', 'tata suara gim'],
  arsitektur: ['desain arsitektur', 'SketchUp', 'AutoCAD', 'rendering 3D', 'arsitektur vernakular', 'perencanaan kawasan'],
  'desain-interior': ['desain interior', 'tata ruang', 'furnitur custom', 'visualisasi 3D', 'pencahayaan'],
  'desain-komunikasi-visual': ['desain grafis', 'ilustrasi', 'tipografi', 'branding', 'desain logo', 'motion graphic'],
  'desain-produk': ['desain produk', 'prototipe', 'desain kemasan', 'ergonomi', 'cetak 3D'],
  fesyen: ['menjahit', 'desain busana', 'batik tulis', 'tenun', 'pola busana', 'busana muslim', 'sablon'],
  'film-animasi-dan-video': ['penyutradaraan', 'sinematografi', 'penyuntingan video', 'animasi 2D', 'animasi 3D', 'penulisan skenario', 'color grading'],
  fotografi: ['fotografi produk', 'fotografi pernikahan', 'fotografi jurnalistik', 'fotografi makanan', 'retouching', 'fotografi udara'],
  kriya: ['anyaman bambu', 'ukir kayu', 'gerabah', 'batik cap', 'kerajinan rotan', 'kerajinan perak', 'kerajinan kulit', 'tenun ikat'],
  kuliner: ['pengolahan makanan', 'kue tradisional', 'kopi', 'barista', 'katering', 'pengemasan pangan', 'sambal dan bumbu', 'keamanan pangan'],
  musik: ['gitar', 'vokal', 'produksi musik', 'gamelan', 'aransemen', 'mixing dan mastering', 'keroncong', 'angklung'],
  penerbitan: ['penulisan', 'penyuntingan naskah', 'tata letak buku', 'penerbitan mandiri', 'komik', 'penerjemahan'],
  periklanan: ['copywriting', 'pemasaran digital', 'media sosial', 'strategi merek', 'iklan berbayar'],
  'seni-pertunjukan': ['tari tradisional', 'teater', 'wayang', 'pantomim', 'tata panggung', 'tari kontemporer', 'pedalangan'],
  'seni-rupa': ['lukis', 'patung', 'mural', 'seni grafis', 'kaligrafi', 'instalasi seni', 'kurasi'],
  'televisi-dan-radio': ['penyiaran radio', 'produksi siaran', 'podcast', 'presenter', 'jurnalistik televisi', 'tata suara'],
};

const PORTFOLIO_SITES: Partial<Record<SubsectorCode, string[]>> = {
  aplikasi: ['https://github.com/'],
  'pengembang-permainan': ['https://github.com/', 'https://itch.io/profile/'],
  'desain-komunikasi-visual': ['https://www.behance.net/', 'https://dribbble.com/'],
  fotografi: ['https://www.instagram.com/', 'https://500px.com/p/'],
  'film-animasi-dan-video': ['https://www.youtube.com/@', 'https://vimeo.com/'],
  musik: ['https://soundcloud.com/', 'https://www.youtube.com/@'],
};

const LEGAL_STATUS = weightedFrom<LegalStatus>({ none: 46, perkumpulan: 24, yayasan: 12, koperasi: 6, cv: 7, pt: 3, other: 2 });

/** Mobile prefixes after +62, roughly by market share. */
const MOBILE_PREFIX = weightedFrom<string>({
  '811': 3, '812': 8, '813': 8, '821': 6, '822': 6, '823': 3, '851': 2, '852': 6, '853': 5,
  '814': 1, '815': 2, '816': 2, '855': 1, '856': 5, '857': 5, '858': 2,
  '817': 3, '818': 3, '819': 4, '859': 3, '877': 4, '878': 4, '831': 1, '838': 2,
  '895': 3, '896': 3, '897': 2, '898': 2, '899': 2, '881': 1, '882': 1, '887': 1, '888': 1, '889': 1,
});

function phone(rng: Rng): string {
  return `+62${MOBILE_PREFIX.pick(rng)}${rng.digits(rng.chance(0.8) ? 8 : 7)}`;
}

function slug(text: string, sep = ''): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .replace(/[^a-z0-9]+/g, sep);
}

// ------------------------------------------------------------------------------------------------
// Generation: plain column arrays, ready for `unnest`.

const DAY = 86_400_000;
const SEP = '\u001f';

interface Columns {
  [column: string]: unknown[];
}

interface Generated {
  chapters: Columns;
  communities: Columns;
  communitySubsectors: Columns;
  members: Columns;
  memberSubsectors: Columns;
  memberCommunities: Columns;
  partners: Columns;
  agreements: Columns;
}

function columns<const K extends string>(...names: K[]): Record<K, unknown[]> {
  return Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<K, unknown[]>;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function generate(
  rng: Rng,
  places: Place[],
  opts: { chapters: number; communities: number; members: number; now: number },
): Generated {
  const { now } = opts;
  const primarySubsector = weightedFrom(SUBSECTOR_WEIGHT);
  const everywhere = new Weighted(places, (p) => p.weight);
  const chapterPlaces = chooseChapterPlaces(rng, places, Math.min(opts.chapters, places.length));
  const inChapter = new Weighted(chapterPlaces, (p) => p.weight);
  const placeOf = (pChapter: number) => (chapterPlaces.length && rng.chance(pChapter) ? inChapter : everywhere).pick(rng);
  /** When someone was last confirmed: regencies differ in how well they keep their data fresh. */
  const verifiedAt = (p: Place) => now - (rng.chance(p.freshness) ? rng.next() * 365 : 365 + rng.next() * 365) * DAY;

  /** Name pools by province: who lives where. */
  const poolPickers = new Map<string, Weighted<PoolName>>();
  const pools = (province: string) => {
    let w = poolPickers.get(province);
    if (!w) poolPickers.set(province, (w = weightedFrom((PROVINCE_POOLS[province] ?? { modern: 1 }) as Record<PoolName, number>)));
    return w;
  };

  // Chapters ------------------------------------------------------------------------------------
  const chapters = columns('regency_code', 'name', 'status', 'joined_on', 'contact_email', 'contact_phone');
  const chapterPatterns = ['{k} Creative City Forum', '{k} Creative Network', 'Forum Kreatif {k}', 'Komite Ekonomi Kreatif {k}', '{k} Kreatif', 'Simpul Kreatif {k}'];
  for (const p of chapterPlaces) {
    const name = rng.pick(chapterPatterns).replace('{k}', p.short);
    chapters.regency_code.push(p.code);
    chapters.name.push(name);
    chapters.status.push(rng.chance(0.95) ? 'active' : 'inactive');
    chapters.joined_on.push(dateOnly(now - rng.next() * 10 * 365 * DAY));
    chapters.contact_email.push(`halo@${slug(name)}.example`);
    chapters.contact_phone.push(phone(rng));
  }

  // Communities ---------------------------------------------------------------------------------
  const communities = columns(
    'name', 'search_name', 'regency_code', 'district_code', 'description', 'contact_name', 'contact_phone', 'contact_email',
    'social_links', 'legal_status', 'founding_year', 'status', 'decided_at', 'verified_at', 'created_at', 'updated_at',
  );
  const communitySubsectors = columns('community', 'subsector_code');
  const communitiesByRegency = new Map<string, { index: number; subsectors: SubsectorCode[] }[]>();
  const takenNames = new Set<string>();
  const nowYear = new Date(now).getUTCFullYear();
  for (let i = 0; i < opts.communities; i++) {
    const p = placeOf(0.92);
    const main = primarySubsector.pick(rng);
    const district = p.districts.length ? rng.pick(p.districts) : null;
    let name = '';
    for (let attempt = 0; attempt < 8 && (!name || takenNames.has(name.toLowerCase())); attempt++) {
      const where = district && (attempt > 2 || rng.chance(0.3)) ? district.short : p.short;
      name = rng.pick(COMMUNITY_PATTERNS[main]).replace('{k}', where).replace('{n}', rng.pick(TRADITIONAL_NAMES));
    }
    for (let n = 2; takenNames.has(name.toLowerCase()); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
    takenNames.add(name.toLowerCase());

    const subsectors: SubsectorCode[] = [main];
    for (const extra of RELATED[main]) if (rng.chance(0.18)) subsectors.push(extra);
    for (const s of subsectors) {
      communitySubsectors.community.push(i);
      communitySubsectors.subsector_code.push(s);
    }
    const list = communitiesByRegency.get(p.code) ?? [];
    list.push({ index: i, subsectors });
    communitiesByRegency.set(p.code, list);

    const handle = slug(name, rng.chance(0.5) ? '.' : '_').slice(0, 30);
    const links: { kind: string; url: string }[] = [{ kind: 'instagram', url: `https://www.instagram.com/${handle}` }];
    if (rng.chance(0.45)) links.push({ kind: 'facebook', url: `https://www.facebook.com/${slug(name)}` });
    if (rng.chance(0.3)) links.push({ kind: 'youtube', url: `https://www.youtube.com/@${slug(name)}` });
    if (rng.chance(0.25)) links.push({ kind: 'tiktok', url: `https://www.tiktok.com/@${handle}` });
    if (rng.chance(0.12)) links.push({ kind: 'website', url: `https://${slug(name, '-')}.example` });

    const founded = Math.max(1975, Math.min(nowYear, Math.round(nowYear - Math.abs(rng.normal()) * 9 - rng.next() * 2)));
    const statusRoll = rng.next();
    const status = statusRoll < 0.88 ? 'active' : statusRoll < 0.98 ? 'pending' : 'inactive';
    const created = status === 'pending' ? now - rng.next() * 60 * DAY : now - (60 + rng.next() * 1400) * DAY;
    const verified = status === 'pending' ? created : Math.max(created, verifiedAt(p));
    const decided = status === 'pending' ? null : Math.min(verified, created + rng.int(1, 14) * DAY);
    const contactName = makeName(rng, rng.chance(0.8) ? pools(p.province).pick(rng) : 'modern', rng.chance(0.6) ? 'L' : 'P', 1985);
    const verb = rng.pick(['berkarya', 'belajar bersama', 'berbagi ilmu', 'berpameran', 'berkolaborasi']);
    const subsectorName = SUBSECTORS.find((s) => s.code === main)!.nameId.toLowerCase();

    communities.name.push(name);
    communities.search_name.push(normalizePersonName(name));
    communities.regency_code.push(p.code);
    communities.district_code.push(district?.code ?? null);
    communities.description.push(`Wadah pegiat ${subsectorName} di ${p.name} untuk ${verb} dan berjejaring sejak ${founded}.`);
    communities.contact_name.push(contactName);
    communities.contact_phone.push(phone(rng));
    communities.contact_email.push(`${slug(name).slice(0, 40)}@example.org`);
    communities.social_links.push(JSON.stringify(links));
    communities.legal_status.push(LEGAL_STATUS.pick(rng));
    communities.founding_year.push(founded);
    communities.status.push(status);
    communities.decided_at.push(decided === null ? null : iso(decided));
    communities.verified_at.push(iso(verified));
    communities.created_at.push(iso(created));
    communities.updated_at.push(iso(Math.max(created, verified)));
  }

  // Members -------------------------------------------------------------------------------------
  const members = columns(
    'full_name', 'search_name', 'nik', 'phone', 'email', 'gender', 'birth_date', 'regency_code', 'district_code',
    'skills', 'portfolio_links', 'status', 'decided_at', 'verified_at', 'created_at', 'updated_at',
  );
  const memberSubsectors = columns('member', 'subsector_code');
  const memberCommunities = columns('member', 'community', 'role', 'joined_at');
  const niks = new Set<string>();
  const leaders = new Set<number>();
  const admins = new Map<number, number>();
  for (let i = 0; i < opts.members; i++) {
    const p = placeOf(0.85);
    const district = p.districts.length ? rng.pick(p.districts) : null;
    const gender: Gender = rng.chance(0.53) ? 'L' : 'P';
    // Creative workers are mostly 20–45; some older masters, some students.
    const birthYear = rng.chance(0.82) ? Math.round(1994 + rng.normal() * 7) : rng.int(1960, 2006);
    const year = Math.min(2006, Math.max(1960, birthYear));
    const birth = Date.UTC(year, 0, 1) + rng.int(0, year % 4 === 0 ? 365 : 364) * DAY;
    const birthDate = dateOnly(birth);
    // Younger people more often carry the names of their generation, wherever they live.
    const pool = rng.chance(Math.max(0, (year - 1975) / 30) * 0.35) ? 'modern' : pools(p.province).pick(rng);
    const fullName = makeName(rng, pool, gender, year);

    let nik: string | null = null;
    if (district && rng.chance(0.9)) {
      const [, mm, dd] = birthDate.split('-');
      const day = String(Number(dd) + (gender === 'P' ? 40 : 0)).padStart(2, '0');
      const stem = `${district.code.replaceAll('.', '')}${day}${mm}${birthDate.slice(2, 4)}`;
      let serial = rng.int(1, 9999);
      while (niks.has(`${stem}${String(serial).padStart(4, '0')}`)) serial = (serial % 9999) + 1;
      nik = `${stem}${String(serial).padStart(4, '0')}`;
      niks.add(nik);
    }

    const main = primarySubsector.pick(rng);
    const subsectors: SubsectorCode[] = [main];
    if (rng.chance(0.45)) subsectors.push(rng.pick(RELATED[main]));
    if (rng.chance(0.12)) subsectors.push(primarySubsector.pick(rng));
    const unique = [...new Set(subsectors)];
    for (const s of unique) {
      memberSubsectors.member.push(i);
      memberSubsectors.subsector_code.push(s);
    }
    const skills = new Set<string>();
    for (let k = rng.int(1, 4); k > 0; k--) skills.add(rng.pick(SKILLS[rng.pick(unique)]));
    const handle = slug(fullName, rng.chance(0.5) ? '.' : '_') + (rng.chance(0.5) ? String(rng.int(1, 99)) : '');
    const portfolio = PORTFOLIO_SITES[main] && rng.chance(0.35) ? [`${rng.pick(PORTFOLIO_SITES[main])}${handle}`] : [];

    const statusRoll = rng.next();
    const status = statusRoll < 0.9 ? 'active' : statusRoll < 0.985 ? 'pending' : 'rejected';
    let created: number;
    let verified: number | null;
    let decided: number | null;
    if (status === 'active') {
      verified = verifiedAt(p);
      created = verified - rng.next() * 1500 * DAY;
      decided = Math.min(verified, created + rng.int(0, 14) * DAY);
    } else if (status === 'pending') {
      created = now - rng.next() * 90 * DAY;
      verified = created;
      decided = null;
    } else {
      created = now - rng.next() * 700 * DAY;
      decided = created + rng.int(1, 14) * DAY;
      verified = null;
    }

    members.full_name.push(fullName);
    members.search_name.push(normalizePersonName(fullName));
    members.nik.push(nik);
    members.phone.push(rng.chance(0.95) ? phone(rng) : null);
    members.email.push(rng.chance(0.7) ? `${slug(fullName, '.').slice(0, 40)}${rng.int(1, 999)}@${rng.pick(['example.com', 'example.net', 'example.org'])}` : null);
    members.gender.push(gender);
    members.birth_date.push(birthDate);
    members.regency_code.push(p.code);
    members.district_code.push(district?.code ?? null);
    members.skills.push([...skills].join(SEP));
    members.portfolio_links.push(portfolio.join(SEP));
    members.status.push(status);
    members.decided_at.push(decided === null ? null : iso(decided));
    members.verified_at.push(verified === null ? null : iso(verified));
    members.created_at.push(iso(created));
    members.updated_at.push(iso(Math.max(created, verified ?? 0, decided ?? 0)));

    // Most members belong to a community of their regency, preferably one of their subsector.
    const local = status === 'rejected' ? undefined : communitiesByRegency.get(p.code);
    if (local && rng.chance(0.78)) {
      const matching = local.filter((c) => c.subsectors.includes(main));
      const joined = new Set<number>([(matching.length && rng.chance(0.7) ? rng.pick(matching) : rng.pick(local)).index]);
      if (rng.chance(0.15)) joined.add(rng.pick(local).index);
      for (const community of joined) {
        let role: 'leader' | 'admin' | 'member' = 'member';
        if (!leaders.has(community)) {
          leaders.add(community);
          role = 'leader';
        } else if ((admins.get(community) ?? 0) < 2 && rng.chance(0.3)) {
          admins.set(community, (admins.get(community) ?? 0) + 1);
          role = 'admin';
        }
        memberCommunities.member.push(i);
        memberCommunities.community.push(community);
        memberCommunities.role.push(role);
        memberCommunities.joined_at.push(iso(Math.min(now, created + rng.next() * 200 * DAY)));
      }
    }
  }

  // Partners ------------------------------------------------------------------------------------
  const partners = columns('name', 'type', 'region_code', 'website', 'contact_name', 'contact_email', 'contact_phone');
  const agreements = columns('partner', 'title', 'scope_type', 'scope_code', 'valid_from', 'valid_until', 'allows_personal_data');
  const partnerNames: Record<PartnerType, ((p: Place) => string)[]> = {
    government: [(p) => `Dinas Pariwisata dan Ekonomi Kreatif ${p.name}`, (p) => `Dinas Koperasi dan UMKM ${p.name}`, (p) => `Bappeda ${p.name}`, (p) => `Dinas Kebudayaan ${p.name}`],
    academia: [(p) => `Universitas ${p.short} Raya`, (p) => `Institut Seni dan Desain ${p.short}`, (p) => `Politeknik Kreatif ${p.short}`, (p) => `Sekolah Tinggi Desain ${p.short}`],
    business: [(p) => `PT ${p.short} Karya Nusantara`, () => 'PT Sinar Kreasi Indonesia', (p) => `CV Cipta Mandiri ${p.short}`, () => 'PT Rumah Kreatif Bersama'],
    community: [(p) => `Yayasan Kreatif ${p.short}`, () => 'Perkumpulan Pegiat Budaya Nusantara', (p) => `Yayasan Literasi ${p.short}`],
    media: [(p) => `Radio Suara ${p.short}`, (p) => `Kabar ${p.short}`, (p) => `${p.short} Pos`, () => 'Majalah Kreatif Nusantara'],
    aggregator: [() => 'KaryaKita (platform pasar kreatif)', () => 'Pasar Kriya Daring', () => 'Ruang Talenta Kreatif', () => 'Lokal Kurasi'],
  };
  const partnerTypes = Object.keys(partnerNames) as PartnerType[];
  const partnerCount = Math.max(partnerTypes.length, Math.min(60, Math.round(opts.chapters / 10)));
  const partnerTaken = new Set<string>();
  for (let i = 0; i < partnerCount; i++) {
    const type = partnerTypes[i % partnerTypes.length];
    const p = inChapter.items.length ? inChapter.pick(rng) : everywhere.pick(rng);
    const name = rng.pick(partnerNames[type])(p);
    if (partnerTaken.has(name)) continue;
    partnerTaken.add(name);
    const scope = rng.next();
    const national = type === 'aggregator' || (type === 'business' && scope < 0.5) || scope < 0.15;
    const regionCode = national ? null : scope < 0.45 ? p.province : p.code;
    const index = partners.name.length;
    partners.name.push(name);
    partners.type.push(type);
    partners.region_code.push(regionCode);
    partners.website.push(`https://${slug(name, '-').slice(0, 40)}.example`);
    partners.contact_name.push(makeName(rng, pools(p.province).pick(rng), rng.chance(0.5) ? 'L' : 'P', 1980));
    partners.contact_email.push(`kemitraan@${slug(name).slice(0, 30)}.example`);
    partners.contact_phone.push(phone(rng));
    const from = now - rng.int(30, 900) * DAY;
    agreements.partner.push(index);
    agreements.title.push(`Nota Kesepahaman ${type === 'government' ? 'Pengembangan Ekonomi Kreatif' : 'Kerja Sama Jejaring'} ${new Date(from).getUTCFullYear()}`);
    agreements.scope_type.push(regionCode === null ? 'national' : regionCode.length === 2 ? 'province' : 'regency');
    agreements.scope_code.push(regionCode ?? '');
    agreements.valid_from.push(dateOnly(from));
    agreements.valid_until.push(rng.chance(0.8) ? dateOnly(from + rng.int(1, 3) * 365 * DAY) : null);
    agreements.allows_personal_data.push(type === 'government' && rng.chance(0.3));
  }

  return { chapters, communities, communitySubsectors, members, memberSubsectors, memberCommunities, partners, agreements };
}

// ------------------------------------------------------------------------------------------------
// Loading.

/** Rows per INSERT … SELECT FROM unnest(…): big enough to be fast, small enough for the parameters. */
const CHUNK = 10_000;

async function inChunks(total: number, fn: (from: number, to: number) => Promise<unknown>) {
  for (let from = 0; from < total; from += CHUNK) await fn(from, Math.min(total, from + CHUNK));
}

/** Reserves `n` ids of a table's identity column; the rows are then inserted with these ids. */
async function reserveIds(tx: Queryable, table: 'members' | 'communities' | 'partners', n: number): Promise<number> {
  const seq = sql`pg_get_serial_sequence(${table}, 'id')`;
  const row = await sql<{ start: number }>`
    SELECT greatest(nextval(${seq}), (SELECT coalesce(max(id), 0) + 1 FROM ${sql.table(table)}))::int8 AS start`.execute(tx);
  const start = Number(row.rows[0].start);
  if (n > 0) await sql`SELECT setval(${seq}, ${start + n - 1}::int8)`.execute(tx);
  return start;
}

const add = (base: number) => (v: unknown) => base + (v as number);

async function insertAll(tx: Queryable, g: Generated): Promise<{ chapters: number }> {
  const chapters = await sql`
    INSERT INTO chapters (regency_code, name, status, joined_on, contact_email, contact_phone)
    SELECT * FROM unnest(${g.chapters.regency_code}::text[], ${g.chapters.name}::text[], ${g.chapters.status}::text[],
      ${g.chapters.joined_on}::date[], ${g.chapters.contact_email}::text[], ${g.chapters.contact_phone}::text[])
    ON CONFLICT (regency_code) DO NOTHING`.execute(tx);

  const c = g.communities;
  const communityBase = await reserveIds(tx, 'communities', c.name.length);
  await inChunks(c.name.length, (a, b) => sql`
    INSERT INTO communities (id, name, search_name, regency_code, district_code, description, contact_name, contact_phone,
      contact_email, social_links, legal_status, founding_year, status, decided_at, verified_at, created_at, updated_at)
    OVERRIDING SYSTEM VALUE
    SELECT id, name, search_name, regency_code, district_code, description, contact_name, contact_phone,
      contact_email, social_links::jsonb, legal_status, founding_year, status, decided_at, verified_at, created_at, updated_at
    FROM unnest(
      ${c.name.slice(a, b).map((_, i) => communityBase + a + i)}::int8[], ${c.name.slice(a, b)}::text[],
      ${c.search_name.slice(a, b)}::text[], ${c.regency_code.slice(a, b)}::text[], ${c.district_code.slice(a, b)}::text[],
      ${c.description.slice(a, b)}::text[], ${c.contact_name.slice(a, b)}::text[], ${c.contact_phone.slice(a, b)}::text[],
      ${c.contact_email.slice(a, b)}::text[], ${c.social_links.slice(a, b)}::text[], ${c.legal_status.slice(a, b)}::text[],
      ${c.founding_year.slice(a, b)}::int2[], ${c.status.slice(a, b)}::text[], ${c.decided_at.slice(a, b)}::timestamptz[],
      ${c.verified_at.slice(a, b)}::timestamptz[], ${c.created_at.slice(a, b)}::timestamptz[], ${c.updated_at.slice(a, b)}::timestamptz[]
    ) AS t(id, name, search_name, regency_code, district_code, description, contact_name, contact_phone,
      contact_email, social_links, legal_status, founding_year, status, decided_at, verified_at, created_at, updated_at)`.execute(tx));

  const cs = g.communitySubsectors;
  const csCommunity = cs.community.map(add(communityBase));
  await inChunks(cs.community.length, (a, b) => sql`
    INSERT INTO community_subsectors (community_id, subsector_code)
    SELECT * FROM unnest(${csCommunity.slice(a, b)}::int8[], ${cs.subsector_code.slice(a, b)}::text[])`.execute(tx));

  const m = g.members;
  const memberBase = await reserveIds(tx, 'members', m.full_name.length);
  await inChunks(m.full_name.length, (a, b) => sql`
    INSERT INTO members (id, full_name, search_name, nik, phone, email, gender, birth_date, regency_code, district_code,
      skills, portfolio_links, status, source, decided_at, verified_at, created_at, updated_at)
    OVERRIDING SYSTEM VALUE
    SELECT id, full_name, search_name, nik, phone, email, gender, birth_date, regency_code, district_code,
      string_to_array(skills, ${SEP}), string_to_array(portfolio, ${SEP}), status, 'demo', decided_at, verified_at, created_at, updated_at
    FROM unnest(
      ${m.full_name.slice(a, b).map((_, i) => memberBase + a + i)}::int8[], ${m.full_name.slice(a, b)}::text[],
      ${m.search_name.slice(a, b)}::text[], ${m.nik.slice(a, b)}::text[], ${m.phone.slice(a, b)}::text[],
      ${m.email.slice(a, b)}::text[], ${m.gender.slice(a, b)}::text[], ${m.birth_date.slice(a, b)}::date[],
      ${m.regency_code.slice(a, b)}::text[], ${m.district_code.slice(a, b)}::text[], ${m.skills.slice(a, b)}::text[],
      ${m.portfolio_links.slice(a, b)}::text[], ${m.status.slice(a, b)}::text[], ${m.decided_at.slice(a, b)}::timestamptz[],
      ${m.verified_at.slice(a, b)}::timestamptz[], ${m.created_at.slice(a, b)}::timestamptz[], ${m.updated_at.slice(a, b)}::timestamptz[]
    ) AS t(id, full_name, search_name, nik, phone, email, gender, birth_date, regency_code, district_code,
      skills, portfolio, status, decided_at, verified_at, created_at, updated_at)`.execute(tx));

  const ms = g.memberSubsectors;
  const msMember = ms.member.map(add(memberBase));
  await inChunks(ms.member.length, (a, b) => sql`
    INSERT INTO member_subsectors (member_id, subsector_code)
    SELECT * FROM unnest(${msMember.slice(a, b)}::int8[], ${ms.subsector_code.slice(a, b)}::text[])`.execute(tx));

  const mc = g.memberCommunities;
  const mcMember = mc.member.map(add(memberBase));
  const mcCommunity = mc.community.map(add(communityBase));
  await inChunks(mc.member.length, (a, b) => sql`
    INSERT INTO member_communities (member_id, community_id, role, joined_at)
    SELECT * FROM unnest(${mcMember.slice(a, b)}::int8[], ${mcCommunity.slice(a, b)}::int8[], ${mc.role.slice(a, b)}::text[],
      ${mc.joined_at.slice(a, b)}::timestamptz[])`.execute(tx));

  const p = g.partners;
  const partnerBase = await reserveIds(tx, 'partners', p.name.length);
  await sql`
    INSERT INTO partners (id, name, type, region_code, website, contact_name, contact_email, contact_phone)
    OVERRIDING SYSTEM VALUE
    SELECT * FROM unnest(${p.name.map((_, i) => partnerBase + i)}::int8[], ${p.name}::text[], ${p.type}::text[],
      ${p.region_code}::text[], ${p.website}::text[], ${p.contact_name}::text[], ${p.contact_email}::text[], ${p.contact_phone}::text[])`.execute(tx);
  const ag = g.agreements;
  await sql`
    INSERT INTO partner_agreements (partner_id, title, scope_type, scope_code, valid_from, valid_until, allows_personal_data)
    SELECT * FROM unnest(${ag.partner.map(add(partnerBase))}::int8[], ${ag.title}::text[], ${ag.scope_type}::text[],
      ${ag.scope_code}::text[], ${ag.valid_from}::date[], ${ag.valid_until}::date[], ${ag.allows_personal_data}::bool[])`.execute(tx);

  return { chapters: Number(chapters.numAffectedRows ?? 0) };
}

function isEngine(target: Engine | DB): target is Engine {
  return 'kind' in target && 'db' in target;
}

/**
 * Fills an empty registry with demo data in one transaction. Throws `DemoRefusedError` when the
 * registry already has members. Regions and subsectors must be loaded (they are at every start).
 */
export async function seedDemoData(target: Engine | DB, options: DemoOptions = {}): Promise<DemoReport> {
  const started = performance.now();
  const db = isEngine(target) ? target.db : target;
  const opts = {
    chapters: options.chapters ?? DEMO_DEFAULTS.chapters,
    communities: options.communities ?? DEMO_DEFAULTS.communities,
    members: options.members ?? DEMO_DEFAULTS.members,
    now: (options.now ?? new Date()).getTime(),
  };
  for (const [key, value] of Object.entries(opts)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${key} must be a whole number ≥ 0`);
  }
  const existing = await db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) throw new DemoRefusedError(Number(existing.n));

  const regions = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('level', 'in', [2, 3])
    .orderBy('code')
    .execute();
  const rng = new Rng(String(options.seed ?? DEMO_DEFAULTS.seed));
  const places = buildPlaces(
    rng,
    regions.filter((r) => r.level === 2),
    regions.filter((r) => r.level === 3),
  );
  if (places.length === 0) throw new Error('No regions loaded: start Simpul once (it loads the reference data) before seeding demo data.');
  const generated = generate(rng, places, opts);
  const generateMs = performance.now() - started;

  const insertStarted = performance.now();
  const inserted = await db.transaction().execute(async (tx) => {
    // Serialise with other writers and check again inside the transaction: two seeders, or a
    // registration arriving meanwhile, must not end up mixed with demo data.
    await sql`LOCK TABLE members, communities, chapters, partners IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
    const again = await tx.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(again.n) > 0) throw new DemoRefusedError(Number(again.n));
    const result = await insertAll(tx, generated);
    // PGlite runs no autovacuum: without fresh statistics the dashboard's plans would be guesses.
    await sql`ANALYZE chapters, communities, community_subsectors, members, member_subsectors, member_communities, partners`.execute(tx);
    return result;
  });
  const insertMs = performance.now() - insertStarted;

  return {
    chapters: inserted.chapters,
    communities: generated.communities.name.length,
    members: generated.members.full_name.length,
    memberSubsectors: generated.memberSubsectors.member.length,
    memberCommunities: generated.memberCommunities.member.length,
    partners: generated.partners.name.length,
    agreements: generated.agreements.partner.length,
    generateMs: Math.round(generateMs),
    insertMs: Math.round(insertMs),
    totalMs: Math.round(performance.now() - started),
  };
}
