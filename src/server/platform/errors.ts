/**
 * The one error type of the server. `code` is stable and machine-readable; the message shown
 * to people comes from the catalogue below in the caller's language (Indonesian first).
 */
export type ErrorCode = keyof typeof catalogue;

/** One invalid field: `code` picks the message from the field catalogue below, in the caller's language. */
export interface FieldError {
  path: string;
  code: FieldErrorCode;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;
  /** Values substituted into the message, e.g. {minutes} in a lockout message. */
  readonly params?: Record<string, string | number>;

  /** A `validation_failed` error for fields that passed the schema but break a rule (unknown region, …). */
  static invalid(...errors: FieldError[]): AppError {
    return new AppError('validation_failed', { errors });
  }

  constructor(code: ErrorCode, details?: Record<string, unknown>, params?: Record<string, string | number>) {
    super(catalogue[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = catalogue[code].status;
    this.details = details;
    this.params = params;
  }
}

export type Locale = 'id' | 'en';

const catalogue = {
  validation_failed: { status: 400, id: 'Data yang dikirim tidak valid.', en: 'The submitted data is invalid.' },
  bad_request: { status: 400, id: 'Permintaan tidak dapat diproses.', en: 'The request could not be processed.' },
  unauthenticated: { status: 401, id: 'Silakan masuk terlebih dahulu.', en: 'Please log in first.' },
  invalid_credentials: { status: 401, id: 'Email atau kata sandi salah.', en: 'Wrong email or password.' },
  account_locked: {
    status: 423,
    id: 'Akun dikunci sementara karena terlalu banyak percobaan masuk. Coba lagi dalam {minutes} menit.',
    en: 'The account is temporarily locked after too many login attempts. Try again in {minutes} minutes.',
  },
  account_disabled: { status: 403, id: 'Akun ini dinonaktifkan.', en: 'This account is disabled.' },
  csrf_failed: {
    status: 403,
    id: 'Token keamanan tidak cocok. Muat ulang halaman lalu coba lagi.',
    en: 'Security token mismatch. Reload the page and try again.',
  },
  forbidden: { status: 403, id: 'Anda tidak berwenang melakukan ini.', en: 'You are not allowed to do this.' },
  out_of_scope: {
    status: 403,
    id: 'Data ini berada di luar wilayah tugas Anda.',
    en: 'This data is outside your region of responsibility.',
  },
  not_found: { status: 404, id: 'Data tidak ditemukan.', en: 'Not found.' },
  link_expired: {
    status: 410,
    id: 'Tautan pembaruan ini sudah kedaluwarsa atau sudah dipakai. Minta tautan baru kepada koordinator Anda.',
    en: 'This update link has expired or has already been used. Ask your coordinator for a new one.',
  },
  route_not_found: { status: 404, id: 'Alamat tidak ditemukan.', en: 'No such address.' },
  conflict: { status: 409, id: 'Data bertentangan dengan data yang sudah ada.', en: 'This conflicts with existing data.' },
  email_taken: { status: 409, id: 'Email sudah terdaftar.', en: 'This email is already registered.' },
  setup_done: {
    status: 409,
    id: 'Penyiapan awal sudah selesai; admin pertama sudah ada.',
    en: 'First-run setup is already done; the first admin exists.',
  },
  setup_token_invalid: {
    status: 403,
    id: 'Kode penyiapan salah. Kode tercetak di konsol server dan di berkas setup-token di folder data.',
    en: 'Wrong setup code. It is printed in the server console and in the setup-token file in the data folder.',
  },
  cannot_disable_self: { status: 400, id: 'Anda tidak dapat menonaktifkan akun Anda sendiri.', en: 'You cannot disable your own account.' },
  last_admin: {
    status: 409,
    id: 'Admin Nasional aktif terakhir tidak dapat dihapus atau dinonaktifkan.',
    en: 'The last active national admin cannot be removed or disabled.',
  },
  rate_limited: {
    status: 429,
    id: 'Terlalu banyak permintaan. Coba lagi sebentar lagi.',
    en: 'Too many requests. Try again shortly.',
  },
  payload_too_large: { status: 413, id: 'Data yang dikirim terlalu besar.', en: 'The request is too large.' },
  not_ready: { status: 503, id: 'Layanan belum siap.', en: 'The service is not ready.' },
  internal: {
    status: 500,
    id: 'Terjadi kesalahan pada server. Kami sudah mencatatnya.',
    en: 'Something went wrong on the server. It has been logged.',
  },
  // ---------------------------------------------------------------- Benefits (benefit ledger, overlap, PPRL)
  benefit_conflict: {
    status: 409,
    id: 'Bantuan ini sudah tercatat dengan isi berbeda.',
    en: 'This benefit is already recorded with different content.',
  },
  partner_agreement_required: {
    status: 403,
    id: 'Mitra ini tidak memiliki perjanjian kerja sama yang berlaku hari ini.',
    en: 'This partner has no agreement valid today.',
  },
  pprl_key_missing: {
    status: 409,
    id: 'Kunci rahasia pertukaran data untuk mitra ini belum didaftarkan atau tidak tersedia di server.',
    en: 'No secret exchange key is registered for this partner, or the server cannot find it.',
  },
  pprl_key_mismatch: {
    status: 400,
    id: 'Data dikodekan dengan kunci yang berbeda dari kunci yang disepakati (sidik kunci {keyId}).',
    en: 'The encodings were made with a different key than the agreed one (key fingerprint {keyId}).',
  },
  // ---------------------------------------------------------------- Partner API keys
  partner_key_invalid: {
    status: 401,
    id: 'Kunci API tidak dikenal. Periksa kunci yang dikirim di header Authorization: Bearer.',
    en: 'Unknown API key. Check the key sent in the Authorization: Bearer header.',
  },
  partner_key_revoked: {
    status: 401,
    id: 'Kunci API ini sudah dicabut. Minta kunci baru kepada koordinator.',
    en: 'This API key has been revoked. Ask a coordinator for a new one.',
  },
  partner_key_expired: {
    status: 401,
    id: 'Kunci API ini sudah kedaluwarsa. Minta kunci baru kepada koordinator.',
    en: 'This API key has expired. Ask a coordinator for a new one.',
  },
  partner_key_not_allowed: {
    status: 403,
    id: 'Kunci API mitra tidak dapat dipakai untuk alamat ini.',
    en: 'A partner API key cannot be used for this address.',
  },
  partner_key_scope: {
    status: 403,
    id: 'Kunci API ini tidak memiliki izin "{scope}".',
    en: 'This API key lacks the "{scope}" scope.',
  },
  partner_key_other_partner: {
    status: 403,
    id: 'Kunci API ini milik mitra lain; kunci hanya berlaku untuk mitranya sendiri.',
    en: 'This API key belongs to another partner; a key acts only for its own partner.',
  },
} as const satisfies Record<string, { status: number; id: string; en: string }>;

export type FieldErrorCode = keyof typeof fieldCatalogue;

/**
 * Field-level messages. Schemas use these codes as their custom messages (e.g. `.min(10, 'password_too_short')`)
 * and services use them through `AppError.invalid`; other schema messages are Zod's, translated by its locales.
 */
export const fieldCatalogue = {
  password_too_short: { id: 'Kata sandi minimal 10 karakter.', en: 'The password needs at least 10 characters.' },
  phone_format: { id: 'Nomor telepon harus berformat +62…, misalnya +6281234567890.', en: 'Phone numbers use the +62… format, e.g. +6281234567890.' },
  region_code_format: { id: 'Kode wilayah Kemendagri, misalnya 32, 32.73 atau 32.73.01.', en: 'A Kemendagri region code, such as 32, 32.73 or 32.73.01.' },
  nothing_to_change: { id: 'Tidak ada yang diubah.', en: 'Nothing to change.' },
  current_password_required: { id: 'Masukkan kata sandi saat ini.', en: 'Enter your current password.' },
  current_password_wrong: { id: 'Kata sandi saat ini salah.', en: 'The current password is wrong.' },
  unknown_region: { id: 'Wilayah {code} tidak dikenal.', en: 'Unknown region {code}.' },
  not_a_province_code: { id: '{code} bukan kode provinsi.', en: '{code} is not a province code.' },
  not_a_regency_code: { id: '{code} bukan kode kabupaten/kota.', en: '{code} is not a regency/city code.' },
  scope_not_for_role: { id: 'Peran {role} tidak bisa berlingkup {scope}.', en: 'The role {role} cannot have a {scope} scope.' },
  national_scope_has_no_code: { id: 'Lingkup nasional tidak memakai kode wilayah.', en: 'A national scope takes no region code.' },
  unknown_community: { id: 'Komunitas {code} tidak dikenal.', en: 'Unknown community {code}.' },
  // Jejaring (registry). Codes ending in a warning (nik_*_unknown, *_mismatch) are returned as
  // warnings next to a saved record, not as errors.
  nik_format: { id: 'NIK harus 16 angka.', en: 'A NIK has 16 digits.' },
  nik_province: { id: 'Dua angka pertama NIK bukan kode provinsi yang dikenal.', en: 'The first two digits of the NIK are not a known province code.' },
  nik_birth_date: { id: 'Tanggal lahir di dalam NIK tidak valid.', en: 'The birth date inside the NIK is not a valid date.' },
  nik_serial: { id: 'Empat angka terakhir NIK tidak boleh 0000.', en: 'The last four digits of a NIK cannot be 0000.' },
  nik_regency_unknown: {
    id: 'Kode kabupaten/kota di dalam NIK ({code}) tidak dikenal; periksa kembali NIK-nya.',
    en: 'The regency code inside the NIK ({code}) is unknown; please check the NIK.',
  },
  nik_district_unknown: {
    id: 'Kode kecamatan di dalam NIK ({code}) tidak dikenal; periksa kembali NIK-nya.',
    en: 'The district code inside the NIK ({code}) is unknown; please check the NIK.',
  },
  nik_gender_mismatch: {
    id: 'Menurut NIK jenis kelaminnya {fromNik}, tetapi yang diisi {given}.',
    en: 'The NIK says the sex is {fromNik}, but {given} was entered.',
  },
  nik_birth_date_mismatch: {
    id: 'Menurut NIK tanggal lahirnya {fromNik}, tetapi yang diisi {given}.',
    en: 'The NIK says the birth date is {fromNik}, but {given} was entered.',
  },
  nik_taken: { id: 'NIK ini sudah terdaftar untuk anggota lain.', en: 'This NIK is already registered for another member.' },
  birth_date_range: { id: 'Tanggal lahir harus antara 1900 dan hari ini.', en: 'The birth date must lie between 1900 and today.' },
  regency_required: { id: '{code} bukan kode kabupaten/kota.', en: '{code} is not a regency or city code.' },
  province_or_regency_required: { id: '{code} bukan kode provinsi atau kabupaten/kota.', en: '{code} is not a province or regency code.' },
  district_not_in_regency: {
    id: 'Kecamatan {code} tidak berada di kabupaten/kota {regency}.',
    en: 'District {code} does not lie in regency {regency}.',
  },
  unknown_subsector: { id: 'Subsektor {code} tidak dikenal.', en: 'Unknown subsector {code}.' },
  url_format: { id: 'Tautan harus diawali http:// atau https://.', en: 'A link must start with http:// or https://.' },
  chapter_exists: { id: 'Kabupaten/kota {code} sudah memiliki chapter.', en: 'Regency {code} already has a chapter.' },
  decision_pending: {
    id: 'Pendaftaran yang belum diputuskan harus disetujui atau ditolak dulu.',
    en: 'A registration that is still pending must be approved or rejected first.',
  },
  search_without_numbers: {
    id: 'Cari dengan nama. NIK dan nomor telepon tidak boleh dikirim lewat alamat (URL).',
    en: 'Search by name. NIKs and phone numbers must not be sent in an address (URL).',
  },
  not_pending: { id: 'Pendaftaran ini sudah diputuskan sebelumnya.', en: 'This registration has already been decided.' },
  valid_until_before_from: {
    id: 'Tanggal berakhir tidak boleh sebelum tanggal mulai.',
    en: 'The end date cannot be before the start date.',
  },
  // Self-registration and member self-service.
  consent_required: {
    id: 'Persetujuan "{purpose}" wajib diberikan untuk mendaftar.',
    en: 'Consent to "{purpose}" is required to register.',
  },
  consent_version_outdated: {
    id: 'Teks persetujuan "{purpose}" sudah diperbarui (versi {current}). Muat ulang halaman lalu setujui teks terbaru.',
    en: 'The consent text for "{purpose}" has been updated (version {current}). Reload the page and agree to the current text.',
  },
  unknown_consent_purpose: { id: 'Tujuan persetujuan {purpose} tidak dikenal.', en: 'Unknown consent purpose {purpose}.' },
  email_required_for_login: {
    id: 'Isi email untuk membuat akun masuk dengan kata sandi.',
    en: 'Give an e-mail address to create a login with a password.',
  },
  confirm_required: { id: 'Centang konfirmasi untuk melanjutkan.', en: 'Tick the confirmation to continue.' },
  already_deleted: { id: 'Data anggota ini sudah dihapus.', en: 'This member has already been deleted.' },
  ends_at_range: { id: 'Batas waktu harus di masa depan dan paling lama 180 hari lagi.', en: 'The end must lie in the future and at most 180 days ahead.' },
  // Registry import (row-by-row report).
  required: { id: 'Wajib diisi.', en: 'Required.' },
  too_long: { id: 'Terlalu panjang.', en: 'Too long.' },
  date_format: { id: 'Format tanggal tidak dikenali (contoh: 31/12/1990).', en: 'Unrecognised date format (e.g. 31/12/1990).' },
  date_invalid: { id: 'Tanggal tidak ada di kalender.', en: 'The date does not exist.' },
  date_future: { id: 'Tanggal tidak boleh di masa depan.', en: 'The date cannot be in the future.' },
  gender_unknown: { id: 'Jenis kelamin harus L atau P.', en: 'Gender must be L (male) or P (female).' },
  email_format: { id: 'Alamat surel tidak valid.', en: 'Invalid e-mail address.' },
  number_format: { id: 'Bukan angka.', en: 'Not a number.' },
  number_range: { id: 'Angka di luar rentang.', en: 'Number out of range.' },
  digits_format: { id: 'Harus berisi angka saja.', en: 'Digits only.' },
  digits_scientific: { id: 'Angka rusak oleh format ilmiah Excel (mis. 3.27E+15); format kolomnya sebagai teks.', en: 'Number mangled by Excel scientific format (e.g. 3.27E+15); format the column as text.' },
  region_not_found: { id: 'Wilayah "{name}" tidak ditemukan.', en: 'Region "{name}" not found.' },
  region_ambiguous: { id: 'Wilayah "{name}" ambigu: {candidates}.', en: 'Region "{name}" is ambiguous: {candidates}.' },
  region_out_of_scope: { id: 'Wilayah {code} di luar wilayah tugas Anda.', en: 'Region {code} is outside your scope.' },
  duplicate_existing_nik: { id: 'NIK sudah terdaftar (anggota #{id}).', en: 'The NIK is already registered (member #{id}).' },
  duplicate_existing_person: { id: 'Mungkin sama dengan anggota #{id} (nama, tanggal lahir, wilayah).', en: 'Possibly the same as member #{id} (name, birth date, region).' },
  duplicate_in_file: { id: 'Sama dengan baris {row} di berkas ini.', en: 'Same as row {row} in this file.' },
  import_has_invalid_rows: { id: 'Ada {count} baris tidak valid; perbaiki dulu atau impor baris valid saja.', en: '{count} rows are invalid; fix them or import the valid rows only.' },
  table_unreadable: { id: 'Berkas tidak dapat dibaca ({reason}).', en: 'The file cannot be read ({reason}).' },
  missing_columns: { id: 'Kolom wajib tidak ditemukan: {fields}.', en: 'Required columns not found: {fields}.' },
  row_too_many_cells: {
    id: 'Baris ini berisi {actual} sel, padahal kolomnya hanya {expected}: mungkin ada pemisah (; atau ,) di dalam isian tanpa tanda kutip. Isinya bisa bergeser; periksa baris ini.',
    en: 'This row has {actual} cells but the header only {expected}: probably a separator (; or ,) inside a value without quotes. Its values may be shifted; check this row.',
  },
  duplicate_existing_community: { id: 'Komunitas dengan nama ini sudah ada di kabupaten/kota ini (#{id}).', en: 'A community with this name already exists in this regency (#{id}).' },
  legal_status_unknown: { id: 'Status hukum tidak dikenal; isi perkumpulan, yayasan, koperasi, CV, PT, lainnya, atau kosongkan.', en: 'Unknown legal status; use perkumpulan, yayasan, koperasi, CV, PT, other, or leave it empty.' },
  import_not_ready: { id: 'Impor ini sedang berstatus "{status}" sehingga tidak bisa diproses sekarang.', en: 'This import is "{status}" and cannot be processed now.' },
  import_failed: { id: 'Impor gagal karena kesalahan di server. Coba lagi; jika tetap gagal, hubungi admin.', en: 'The import failed on the server. Try again; if it keeps failing, contact an admin.' },
  import_expired: {
    id: 'Impor ini tidak ditulis dalam {days} hari, jadi berkas dan isinya sudah dihapus. Unggah berkasnya lagi.',
    en: 'This import was not written within {days} days, so its file and contents were deleted. Upload the file again.',
  },
  unknown_field: { id: 'Kolom tujuan {field} tidak dikenal.', en: 'Unknown target field {field}.' },
  unknown_column: { id: 'Kolom "{name}" tidak ada di berkas.', en: 'The file has no column "{name}".' },
  // Beneficiaries (RESCUE, DAMPING). kk_*_unknown and kk_serial_zero are warnings next to a saved record.
  kk_format: { id: 'Nomor KK harus 16 angka.', en: 'A KK (family card) number has 16 digits.' },
  kk_province: { id: 'Dua angka pertama nomor KK bukan kode provinsi yang dikenal.', en: 'The first two digits of the KK number are not a known province code.' },
  kk_issue_date: { id: 'Tanggal terbit di dalam nomor KK tidak valid.', en: 'The issue date inside the KK number is not a valid date.' },
  kk_regency_unknown: {
    id: 'Kode kabupaten/kota di dalam nomor KK ({code}) tidak dikenal; periksa kembali nomornya.',
    en: 'The regency code inside the KK number ({code}) is unknown; please check the number.',
  },
  kk_district_unknown: {
    id: 'Kode kecamatan di dalam nomor KK ({code}) tidak dikenal; periksa kembali nomornya.',
    en: 'The district code inside the KK number ({code}) is unknown; please check the number.',
  },
  kk_serial_zero: { id: 'Empat angka terakhir nomor KK 0000; periksa kembali nomornya.', en: 'The last four digits of the KK number are 0000; please check the number.' },
  duplicate_decided: { id: 'Pasangan ini sudah diputuskan ({status}).', en: 'This pair has already been decided ({status}).' },
  merge_undone: { id: 'Penggabungan ini sudah dibatalkan.', en: 'This merge has already been undone.' },
  merge_superseded: {
    id: 'Orang ini sudah digabung lagi sesudahnya; batalkan penggabungan #{id} terlebih dahulu.',
    en: 'This person was merged again afterwards; undo merge #{id} first.',
  },
  record_alone: { id: 'Data ini satu-satunya milik orang ini; tidak ada yang bisa dipisahkan.', en: 'This is the person’s only record; there is nothing to split it from.' },
  record_merged: {
    id: 'Data ini masuk lewat penggabungan #{id}; batalkan penggabungan itu untuk memisahkannya.',
    en: 'This record came with merge #{id}; undo that merge to separate it.',
  },
  record_moved: { id: 'Data ini baru saja dipindahkan ke orang lain; muat ulang halaman.', en: 'This record was just moved to another person; reload the page.' },
  idempotency_key_reused: {
    id: 'Kunci Idempotency-Key ini sudah dipakai untuk data lain.',
    en: 'This Idempotency-Key was already used for a different request.',
  },
  review_above_auto_link: {
    id: 'Ambang tinjauan tidak boleh lebih tinggi dari ambang penautan otomatis.',
    en: 'The review threshold cannot be above the automatic link threshold.',
  },
  source_record_reused: {
    id: 'Data dari sumber ini dengan nomor {externalId} sudah terdaftar dengan isi berbeda.',
    en: 'A record from this source with id {externalId} is already registered with different content.',
  },
  // ---------------------------------------------------------------- Benefits (benefit ledger, overlap, PPRL)
  unknown_programme: { id: 'Program bantuan {code} tidak dikenal.', en: 'Unknown aid programme {code}.' },
  unknown_aid_kind: { id: 'Jenis bantuan {code} tidak dikenal.', en: 'Unknown kind of aid {code}.' },
  programme_lacks_aid_kind: {
    id: 'Program {programme} tidak memberikan {aidKind}.',
    en: 'Programme {programme} does not give {aidKind}.',
  },
  unknown_partner: { id: 'Mitra #{id} tidak dikenal.', en: 'Unknown partner #{id}.' },
  unknown_record: { id: 'Data penerima #{id} tidak ditemukan.', en: 'Beneficiary record #{id} not found.' },
  period_reversed: { id: 'Akhir periode tidak boleh sebelum awal periode.', en: 'The period cannot end before it starts.' },
  benefit_already_received: {
    id: 'Sudah menerima {aidKind} pada periode {periodStart} s.d. {periodEnd} dari program {programme}{partner} pada {date}.',
    en: 'Already received {aidKind} in the period {periodStart} to {periodEnd} from programme {programme}{partner} on {date}.',
  },
  benefit_duplicate_in_list: {
    id: 'Orang yang sama dengan data #{recordId} (orang #{personId}) yang sudah ada di daftar ini.',
    en: 'The same person as record #{recordId} (person #{personId}), already in this list.',
  },
  pprl_key_ref_unset: {
    id: 'Variabel lingkungan {keyRef} tidak ada di server.',
    en: 'The environment variable {keyRef} is not set on the server.',
  },
  pprl_encodings_invalid: { id: 'Data kode tidak dapat dibaca: {reason}.', en: 'The encodings cannot be read: {reason}.' },
  // Dedup runs
  partner_required: {
    id: 'Sebutkan mitra (partnerId) yang diwakili; hanya kunci API mitra yang boleh melewatkannya.',
    en: 'Name the partner (partnerId) you act for; only a partner API key may leave it out.',
  },
  partner_key_expiry_past: { id: 'Tanggal kedaluwarsa harus di masa depan.', en: 'The expiry must lie in the future.' },
  partner_key_scopes_required: { id: 'Pilih minimal satu izin.', en: 'Choose at least one scope.' },
  dedup_run_active: {
    id: 'Pemeriksaan duplikat #{id} untuk wilayah ini masih berjalan.',
    en: 'Deduplication run #{id} for this region is still running.',
  },
  dedup_run_not_done: {
    id: 'Pemeriksaan duplikat #{id} belum selesai ({status}); gabungkan kecocokannya setelah selesai.',
    en: 'Deduplication run #{id} has not finished ({status}); merge its matches once it is done.',
  },
} as const satisfies Record<string, { id: string; en: string }>;

export function isFieldErrorCode(value: string): value is FieldErrorCode {
  return Object.hasOwn(fieldCatalogue, value);
}

export function fieldMessage(code: FieldErrorCode, locale: Locale, params?: Record<string, string | number>): string {
  let text: string = fieldCatalogue[code][locale];
  for (const [k, v] of Object.entries(params ?? {})) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

export function errorMessage(code: ErrorCode, locale: Locale, params?: Record<string, string | number>): string {
  let text: string = catalogue[code][locale];
  for (const [k, v] of Object.entries(params ?? {})) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

export function errorStatus(code: ErrorCode): number {
  return catalogue[code].status;
}

/** Picks Indonesian unless the client prefers English (Accept-Language order and q-values respected). */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'id';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((x) => x.lang === 'id' || x.lang === 'en' || x.lang === 'in')
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.lang === 'en' ? 'en' : 'id';
}
