/**
 * Which column feeds which field: header names in Indonesian and English, with the variants people
 * write, compared case-, space- and punctuation-insensitively.
 */

export type FieldKind = 'text' | 'nik' | 'phone' | 'email' | 'gender' | 'date' | 'region' | 'list' | 'url' | 'integer';

export interface FieldSpec {
  /** The field's key in the import (e.g. "birthDate"). */
  key: string;
  /** Labels for the mapping screen. */
  label: { id: string; en: string };
  /** What parser the importer applies (informative; mapHeaders ignores it). */
  kind: FieldKind;
  /** Header names that mean this field, in any case and punctuation ("No. HP", "no_hp", "NO HP" are one). */
  aliases: readonly string[];
  required?: boolean;
}

export const MEMBER_FIELDS: readonly FieldSpec[] = [
  { key: 'name', label: { id: 'Nama', en: 'Name' }, kind: 'text', required: true,
    aliases: ['nama', 'nama lengkap', 'nama anggota', 'nama peserta', 'nama sesuai ktp', 'full name', 'name', 'member name', 'nama depan dan belakang'] },
  { key: 'nik', label: { id: 'NIK', en: 'NIK (national ID)' }, kind: 'nik',
    aliases: ['nik', 'no ktp', 'nomor ktp', 'no. ktp', 'ktp', 'nik ktp', 'no nik', 'nomor nik', 'nomor induk kependudukan', 'national id', 'id number', 'identity number'] },
  { key: 'phone', label: { id: 'Nomor HP', en: 'Phone' }, kind: 'phone',
    aliases: ['no hp', 'nomor hp', 'no. hp', 'hp', 'no hp wa', 'no hp/wa', 'nomor hp/wa', 'no wa', 'nomor wa', 'wa', 'whatsapp', 'no whatsapp', 'nomor whatsapp', 'telepon', 'telpon', 'no telepon', 'nomor telepon', 'no telp', 'telp', 'ponsel', 'nomor ponsel', 'phone', 'phone number', 'mobile', 'mobile phone', 'mobile number', 'handphone', 'kontak', 'no kontak', 'nomor kontak'] },
  { key: 'email', label: { id: 'Surel', en: 'E-mail' }, kind: 'email',
    aliases: ['email', 'e-mail', 'alamat email', 'alamat e-mail', 'surel', 'alamat surel', 'email address', 'mail'] },
  { key: 'gender', label: { id: 'Jenis kelamin', en: 'Gender' }, kind: 'gender',
    aliases: ['jenis kelamin', 'jk', 'j/k', 'kelamin', 'l/p', 'gender', 'sex', 'jenis kelamin (l/p)'] },
  { key: 'birthDate', label: { id: 'Tanggal lahir', en: 'Birth date' }, kind: 'date',
    aliases: ['tanggal lahir', 'tgl lahir', 'tgl. lahir', 'tanggal kelahiran', 'birth date', 'birthdate', 'date of birth', 'dob', 'birthday', 'tgl lhr'] },
  { key: 'birthPlace', label: { id: 'Tempat lahir', en: 'Birth place' }, kind: 'text',
    aliases: ['tempat lahir', 'tmp lahir', 'tempat kelahiran', 'kota lahir', 'birth place', 'birthplace', 'place of birth'] },
  { key: 'address', label: { id: 'Alamat', en: 'Address' }, kind: 'text',
    aliases: ['alamat', 'alamat lengkap', 'alamat rumah', 'alamat domisili', 'domisili', 'address', 'home address', 'street address'] },
  { key: 'province', label: { id: 'Provinsi', en: 'Province' }, kind: 'region',
    aliases: ['provinsi', 'propinsi', 'prov', 'province', 'state'] },
  { key: 'regency', label: { id: 'Kabupaten/kota', en: 'Regency/city' }, kind: 'region', required: true,
    aliases: ['kabupaten/kota', 'kab/kota', 'kabupaten kota', 'kota/kabupaten', 'kota/kab', 'kota', 'kabupaten', 'kab', 'kab kota domisili', 'kota domisili', 'asal kota', 'regency', 'regency/city', 'city', 'city/regency'] },
  { key: 'district', label: { id: 'Kecamatan', en: 'District' }, kind: 'region',
    aliases: ['kecamatan', 'kec', 'district', 'sub-district', 'subdistrict'] },
  { key: 'village', label: { id: 'Kelurahan/desa', en: 'Village' }, kind: 'region',
    aliases: ['kelurahan/desa', 'desa/kelurahan', 'kelurahan', 'desa', 'kel/desa', 'village'] },
  { key: 'subsectors', label: { id: 'Subsektor', en: 'Subsectors' }, kind: 'list',
    aliases: ['subsektor', 'sub sektor', 'subsektor ekraf', 'subsektor ekonomi kreatif', 'subsector', 'subsectors', 'sub-sector', 'bidang', 'bidang kreatif', 'bidang usaha', 'sektor', 'sector', 'creative sector', 'field'] },
  { key: 'skills', label: { id: 'Keahlian', en: 'Skills' }, kind: 'list',
    aliases: ['keahlian', 'keterampilan', 'ketrampilan', 'kemampuan', 'skill', 'skills', 'expertise', 'kompetensi'] },
  { key: 'occupation', label: { id: 'Pekerjaan', en: 'Occupation' }, kind: 'text',
    aliases: ['pekerjaan', 'profesi', 'occupation', 'profession', 'job', 'jabatan pekerjaan'] },
  { key: 'communities', label: { id: 'Komunitas', en: 'Communities' }, kind: 'list',
    aliases: ['komunitas', 'nama komunitas', 'asal komunitas', 'komunitas asal', 'community', 'communities', 'community name', 'organisasi', 'organization'] },
  { key: 'communityRole', label: { id: 'Peran di komunitas', en: 'Role in community' }, kind: 'text',
    aliases: ['peran', 'peran di komunitas', 'jabatan', 'jabatan di komunitas', 'posisi', 'role', 'position', 'community role'] },
  { key: 'portfolio', label: { id: 'Portofolio', en: 'Portfolio' }, kind: 'list',
    aliases: ['portofolio', 'portfolio', 'link portofolio', 'tautan portofolio', 'portfolio link', 'portfolio url', 'karya', 'link karya'] },
  { key: 'instagram', label: { id: 'Instagram', en: 'Instagram' }, kind: 'text',
    aliases: ['instagram', 'ig', 'akun instagram', 'akun ig', 'username instagram'] },
];

export const COMMUNITY_FIELDS: readonly FieldSpec[] = [
  { key: 'name', label: { id: 'Nama komunitas', en: 'Community name' }, kind: 'text', required: true,
    aliases: ['nama komunitas', 'komunitas', 'nama', 'nama organisasi', 'organisasi', 'community', 'community name', 'name', 'organization', 'organisation'] },
  { key: 'subsectors', label: { id: 'Subsektor', en: 'Subsectors' }, kind: 'list',
    aliases: ['subsektor', 'sub sektor', 'subsektor ekraf', 'subsector', 'subsectors', 'sub-sector', 'bidang', 'bidang kreatif', 'sektor', 'sector', 'field'] },
  { key: 'province', label: { id: 'Provinsi', en: 'Province' }, kind: 'region',
    aliases: ['provinsi', 'propinsi', 'prov', 'province'] },
  { key: 'regency', label: { id: 'Kabupaten/kota', en: 'Regency/city' }, kind: 'region', required: true,
    aliases: ['kabupaten/kota', 'kab/kota', 'kabupaten kota', 'kota/kabupaten', 'kota/kab', 'kota', 'kabupaten', 'kab', 'asal kota', 'domisili', 'regency', 'regency/city', 'city', 'city/regency'] },
  { key: 'district', label: { id: 'Kecamatan', en: 'District' }, kind: 'region',
    aliases: ['kecamatan', 'kec', 'district', 'sub-district', 'subdistrict'] },
  { key: 'address', label: { id: 'Alamat', en: 'Address' }, kind: 'text',
    aliases: ['alamat', 'alamat sekretariat', 'sekretariat', 'alamat basecamp', 'basecamp', 'address'] },
  { key: 'contactName', label: { id: 'Narahubung', en: 'Contact person' }, kind: 'text',
    aliases: ['narahubung', 'nama narahubung', 'contact person', 'cp', 'nama cp', 'kontak person', 'penanggung jawab', 'pic', 'nama pic', 'ketua', 'nama ketua', 'contact name'] },
  { key: 'phone', label: { id: 'Nomor HP', en: 'Phone' }, kind: 'phone',
    aliases: ['no hp', 'nomor hp', 'hp', 'no wa', 'nomor wa', 'wa', 'whatsapp', 'telepon', 'no telepon', 'no telp', 'telp', 'phone', 'phone number', 'no hp narahubung', 'nomor narahubung', 'no cp', 'kontak', 'nomor kontak'] },
  { key: 'email', label: { id: 'Surel', en: 'E-mail' }, kind: 'email',
    aliases: ['email', 'e-mail', 'surel', 'alamat email', 'email komunitas', 'email address'] },
  { key: 'instagram', label: { id: 'Instagram', en: 'Instagram' }, kind: 'text',
    aliases: ['instagram', 'ig', 'akun instagram', 'akun ig'] },
  { key: 'website', label: { id: 'Situs web', en: 'Website' }, kind: 'url',
    aliases: ['website', 'situs', 'situs web', 'web', 'url', 'laman'] },
  { key: 'socialLinks', label: { id: 'Media sosial', en: 'Social media' }, kind: 'list',
    aliases: ['media sosial', 'medsos', 'sosial media', 'social media', 'social links', 'akun media sosial', 'facebook', 'tiktok', 'youtube'] },
  { key: 'legalStatus', label: { id: 'Status hukum', en: 'Legal status' }, kind: 'text',
    aliases: ['status hukum', 'badan hukum', 'legalitas', 'status legalitas', 'bentuk badan hukum', 'legal status', 'legal entity'] },
  { key: 'foundingYear', label: { id: 'Tahun berdiri', en: 'Founding year' }, kind: 'integer',
    aliases: ['tahun berdiri', 'tahun didirikan', 'berdiri sejak', 'berdiri tahun', 'tahun pendirian', 'founded', 'year founded', 'founding year', 'since'] },
  { key: 'memberCount', label: { id: 'Jumlah anggota', en: 'Number of members' }, kind: 'integer',
    aliases: ['jumlah anggota', 'jml anggota', 'anggota', 'number of members', 'members', 'member count'] },
  { key: 'description', label: { id: 'Deskripsi', en: 'Description' }, kind: 'text',
    aliases: ['deskripsi', 'keterangan', 'profil', 'profil singkat', 'tentang', 'description', 'about'] },
];

/** A header for comparison: lower case, accents, "(…)", "[…]" and "*" dropped, words split on punctuation. */
export function headerWords(header: string): string[] {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*]/g, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The compact form used for exact matching: "No. HP" → "nohp", "E-mail" → "email". */
export function headerKey(header: string): string {
  return headerWords(header).join('');
}

export interface ColumnMatch {
  index: number;
  header: string;
  /** The field this column feeds, or null. */
  field: string | null;
  /** "exact": the whole header is an alias; "partial": an alias is a run of its words ("Nomor HP aktif"). */
  match: 'exact' | 'partial' | null;
}

export interface HeaderMapping {
  /** Field key → column index. */
  fields: Record<string, number>;
  columns: ColumnMatch[];
  /** Columns that feed no field (including ones that lost to an earlier column for the same field). */
  unmapped: Array<{ index: number; header: string }>;
  /** Columns recognised for a field that an earlier (or exact) column already feeds. */
  duplicates: Array<{ index: number; header: string; field: string }>;
  /** Required fields no column feeds. */
  missingRequired: string[];
}

function containsRun(words: string[], run: string[]): boolean {
  outer: for (let i = 0; i + run.length <= words.length; i++) {
    for (let j = 0; j < run.length; j++) if (words[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Maps columns to fields. A column whose whole header is an alias wins ("exact"); otherwise the
 * longest alias found as a run of the header's words wins ("partial": "Nama Komunitas Anda" →
 * communities, not name). Each field takes one column: exact before partial, then left to right.
 * `overrides` (header index → field key or null) lets the user correct the result.
 */
export function mapHeaders(headers: readonly string[], fields: readonly FieldSpec[], overrides: Record<number, string | null> = {}): HeaderMapping {
  const aliases = fields.flatMap((f) => [f.key, ...f.aliases].map((a) => ({ field: f.key, key: headerKey(a), words: headerWords(a) })));
  const candidates = headers.map((header, index): ColumnMatch => {
    if (index in overrides) {
      const field = overrides[index];
      return { index, header, field: field && fields.some((f) => f.key === field) ? field : null, match: field ? 'exact' : null };
    }
    const key = headerKey(header);
    const words = headerWords(header);
    if (!key) return { index, header, field: null, match: null };
    const exact = aliases.find((a) => a.key === key);
    if (exact) return { index, header, field: exact.field, match: 'exact' };
    let best: { field: string; length: number } | null = null;
    for (const a of aliases) {
      if (a.words.length === 0 || !containsRun(words, a.words)) continue;
      const length = a.key.length;
      // Single short words ("hp", "jk", "wa") only count when they are most of the header.
      if (a.words.length === 1 && length < 4 && words.length > 2) continue;
      if (!best || length > best.length) best = { field: a.field, length };
    }
    return best ? { index, header, field: best.field, match: 'partial' } : { index, header, field: null, match: null };
  });

  const result: HeaderMapping = { fields: {}, columns: [], unmapped: [], duplicates: [], missingRequired: [] };
  const order = [...candidates].sort((a, b) => rank(a) - rank(b) || a.index - b.index);
  const taken = new Map<number, ColumnMatch>();
  for (const c of order) {
    if (c.field && !(c.field in result.fields)) {
      result.fields[c.field] = c.index;
      taken.set(c.index, c);
    } else if (c.field) {
      result.duplicates.push({ index: c.index, header: c.header, field: c.field });
      taken.set(c.index, { ...c, field: null, match: null });
    } else taken.set(c.index, c);
  }
  result.columns = candidates.map((c) => taken.get(c.index) ?? c);
  result.unmapped = result.columns.filter((c) => !c.field).map(({ index, header }) => ({ index, header }));
  result.duplicates.sort((a, b) => a.index - b.index);
  result.missingRequired = fields.filter((f) => f.required && !(f.key in result.fields)).map((f) => f.key);
  return result;
}

const rank = (c: ColumnMatch) => (c.match === 'exact' ? 0 : c.match === 'partial' ? 1 : 2);
