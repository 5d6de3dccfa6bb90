import { describe, expect, it } from 'vitest';
import { COMMUNITY_FIELDS, headerKey, mapHeaders, MEMBER_FIELDS } from './headers.ts';

describe('headerKey', () => {
  it('ignores case, spaces, punctuation, accents and notes in brackets', () => {
    expect(headerKey('No. HP')).toBe('nohp');
    expect(headerKey(' E-mail ')).toBe('email');
    expect(headerKey('Kab/Kota')).toBe('kabkota');
    expect(headerKey('Tanggal Lahir (dd/mm/yyyy)*')).toBe('tanggallahir');
    expect(headerKey('NAMA_LENGKAP')).toBe('namalengkap');
  });
});

describe('mapHeaders', () => {
  const expectFields = (headers: string[], expected: Record<string, number>) => {
    const m = mapHeaders(headers, MEMBER_FIELDS);
    expect(m.fields).toEqual(expected);
    return m;
  };

  it('recognises Indonesian headers', () => {
    expectFields(
      ['Nama Lengkap', 'NIK', 'No. HP/WA', 'Surel', 'Jenis Kelamin', 'Tgl. Lahir', 'Kabupaten/Kota', 'Kecamatan', 'Subsektor', 'Keahlian', 'Komunitas'],
      { name: 0, nik: 1, phone: 2, email: 3, gender: 4, birthDate: 5, regency: 6, district: 7, subsectors: 8, skills: 9, communities: 10 },
    );
  });

  it('recognises English headers', () => {
    expectFields(
      ['Full Name', 'National ID', 'Phone', 'E-mail', 'Sex', 'Date of Birth', 'City', 'District', 'Subsectors', 'Skills', 'Community'],
      { name: 0, nik: 1, phone: 2, email: 3, gender: 4, birthDate: 5, regency: 6, district: 7, subsectors: 8, skills: 9, communities: 10 },
    );
  });

  it('knows the common variants of every field', () => {
    const variants: Record<string, string[]> = {
      name: ['nama', 'nama lengkap', 'full name', 'name', 'NAMA'],
      nik: ['nik', 'no ktp', 'No. KTP', 'nomor induk kependudukan'],
      phone: ['no hp', 'nomor hp', 'hp', 'telepon', 'no wa', 'whatsapp', 'phone', 'No. Telp'],
      email: ['email', 'e-mail', 'surel', 'Alamat Email'],
      gender: ['jenis kelamin', 'jk', 'J/K', 'gender', 'sex', 'L/P'],
      birthDate: ['tanggal lahir', 'tgl lahir', 'birth date', 'date of birth', 'dob', 'DOB'],
      regency: ['kabupaten/kota', 'kab/kota', 'kota', 'kabupaten', 'regency', 'city'],
      district: ['kecamatan', 'district'],
      subsectors: ['subsektor', 'subsector', 'bidang', 'Sub Sektor'],
      skills: ['keahlian', 'skills'],
      communities: ['komunitas', 'community', 'Nama Komunitas'],
    };
    for (const [field, headers] of Object.entries(variants)) {
      for (const h of headers) expect(mapHeaders([h], MEMBER_FIELDS).fields, h).toEqual({ [field]: 0 });
    }
  });

  it('matches headers with extra words by the longest alias', () => {
    const m = mapHeaders(['Nama Komunitas Anda', 'Nomor HP Aktif', 'Tanggal Lahir Anggota', 'Kota Lahir'], MEMBER_FIELDS);
    expect(m.fields).toEqual({ communities: 0, phone: 1, birthDate: 2, birthPlace: 3 });
    expect(m.columns.map((c) => c.match)).toEqual(['partial', 'partial', 'partial', 'exact']);
  });

  it('reports unmapped columns, duplicates and missing required fields', () => {
    const m = mapHeaders(['No', 'No HP', 'WhatsApp', 'Hobi', ''], MEMBER_FIELDS);
    expect(m.fields).toEqual({ phone: 1 });
    expect(m.duplicates).toEqual([{ index: 2, header: 'WhatsApp', field: 'phone' }]);
    expect(m.unmapped).toEqual([{ index: 0, header: 'No' }, { index: 2, header: 'WhatsApp' }, { index: 3, header: 'Hobi' }, { index: 4, header: '' }]);
    expect(m.missingRequired).toEqual(['name', 'regency']);
  });

  it('prefers an exact column over an earlier partial one', () => {
    const m = mapHeaders(['Nomor HP Aktif', 'No HP'], MEMBER_FIELDS);
    expect(m.fields).toEqual({ phone: 1 });
    expect(m.duplicates).toEqual([{ index: 0, header: 'Nomor HP Aktif', field: 'phone' }]);
  });

  it('takes the user\'s corrections', () => {
    const m = mapHeaders(['Nama', 'Kontak'], MEMBER_FIELDS, { 1: 'email', 0: null });
    expect(m.fields).toEqual({ email: 1 });
    expect(m.missingRequired).toEqual(['name', 'regency']);
  });

  it('maps community sheets', () => {
    const m = mapHeaders(['Nama Komunitas', 'Subsektor', 'Kab/Kota', 'Narahubung', 'No HP', 'Instagram', 'Badan Hukum', 'Tahun Berdiri', 'Jumlah Anggota'], COMMUNITY_FIELDS);
    expect(m.fields).toEqual({ name: 0, subsectors: 1, regency: 2, contactName: 3, phone: 4, instagram: 5, legalStatus: 6, foundingYear: 7, memberCount: 8 });
    expect(m.unmapped).toEqual([]);
  });

  it('exports field lists whose aliases do not collide within a list', () => {
    for (const fields of [MEMBER_FIELDS, COMMUNITY_FIELDS]) {
      const owner = new Map<string, string>();
      for (const f of fields) {
        for (const a of [f.key, ...f.aliases]) {
          const k = headerKey(a);
          expect(owner.get(k) ?? f.key, `${a} in ${f.key} and ${owner.get(k)}`).toBe(f.key);
          owner.set(k, f.key);
        }
      }
    }
  });
});
