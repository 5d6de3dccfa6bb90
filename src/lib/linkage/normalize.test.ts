import { describe, expect, it } from 'vitest';
import {
  canonicalToken,
  cleanText,
  collapseRepeatedLetters,
  foldOldSpelling,
  nameTokens,
  normalizeAddress,
  normalizeName,
  stripTitles,
} from './normalize.ts';

const n = normalizeName;

describe('cleanText', () => {
  it('lower-cases, drops accents and apostrophes inside words, keeps other punctuation', () => {
    expect(cleanText('JOSÉ Ñúñez')).toBe('jose nunez');
    expect(cleanText("Ma'ruf Amin")).toBe('maruf amin');
    expect(cleanText('Ma’ruf')).toBe('maruf');
    expect(cleanText('Hj. Siti, S.E.')).toBe('hj. siti, s.e.');
    expect(cleanText('Straße Łódź')).toBe('strasse lodz');
  });
});

describe('stripTitles', () => {
  it('removes titles before the name', () => {
    const cases: Array<[string, string]> = [
      ['H. Agus Salim', 'agus salim'],
      ['Hj. Siti Aminah', 'siti aminah'],
      ['Hajjah Siti Aminah', 'siti aminah'],
      ['Haji Agus Salim', 'agus salim'],
      ['Dr. Budi', 'budi'],
      ['dr. Tirta Mandira', 'tirta mandira'],
      ['Ir. Joko', 'joko'],
      ['Drs. Budi', 'budi'],
      ['Dra. Siti', 'siti'],
      ['Prof. Dr. Ir. H. Budi Santoso', 'budi santoso'],
      ['KH. Hasyim Asyari', 'hasyim asyari'],
      ['Tgk. Daud Beureueh', 'daud beureueh'],
      ['R. Ajeng Kartini', 'ajeng kartini'],
      ['Rr. Siti Hartinah', 'siti hartinah'],
      ['Raden Saleh', 'saleh'],
      ['Ny. Ani', 'ani'],
      ['Nn. Rina', 'rina'],
      ['Tn. Budi', 'budi'],
      ['Bpk. Joko', 'joko'],
      ['Ibu Ani', 'ani'],
      ['Bu Ani', 'ani'],
      ['Pak Budi', 'budi'],
      ['Sdr. Budi', 'budi'],
      ['Dr.Budi', 'budi'],
      ['HJ SITI AMINAH', 'siti aminah'],
      ['A.Md. Rini', 'rini'],
    ];
    for (const [raw, expected] of cases) expect(stripTitles(raw), raw).toBe(expected);
  });

  it('removes degrees after the name, with or without commas', () => {
    const cases: Array<[string, string]> = [
      ['Budi Santoso, S.Kom., M.M.', 'budi santoso'],
      ['Budi Santoso, S.E.', 'budi santoso'],
      ['Budi Santoso, SH, MH', 'budi santoso'],
      ['Budi Santoso S.Kom M.M', 'budi santoso'],
      ['Budi Santoso SE', 'budi santoso'],
      ['Budi Santoso S. Kom.', 'budi santoso'],
      ['Rini A. Md.', 'rini'],
      ['Rini, Amd.', 'rini'],
      ['Ahmad Fauzi, Lc.', 'ahmad fauzi'],
      ['Prof. Dr. Ir. H. Budi Santoso, M.Sc., Ph.D.', 'budi santoso'],
      ['dr. Tirta, Sp.OG', 'tirta'],
    ];
    for (const degree of ['S.H.', 'S.Pd.', 'S.T.', 'S.Sos.', 'S.Ag.', 'M.Si.', 'M.Kom.', 'A.Md.', 'Ph.D.', 'S.Pd.I', 'A.Md.Kep']) {
      cases.push([`Siti Aminah, ${degree}`, 'siti aminah']);
      cases.push([`Siti Aminah ${degree}`, 'siti aminah']);
    }
    for (const [raw, expected] of cases) expect(stripTitles(raw), raw).toBe(expected);
  });

  it('keeps what could be a name: undotted short keys, initials, a second comma segment', () => {
    expect(stripTitles('Budi Ma')).toBe('budi ma');
    expect(stripTitles('Budi Santoso Lc')).toBe('budi santoso lc');
    expect(stripTitles('Ra Kartini')).toBe('ra kartini');
    expect(stripTitles('Santoso, Budi')).toBe('santoso budi');
    expect(stripTitles('Santoso, B.')).toBe('santoso b');
    expect(stripTitles('B. Santoso')).toBe('b santoso');
  });

  it('never empties a name', () => {
    expect(stripTitles('Ibu')).toBe('ibu');
    expect(stripTitles('H.')).toBe('h');
    expect(stripTitles('Dr. H.')).toBe('h');
    expect(stripTitles('')).toBe('');
  });
});

describe('foldOldSpelling', () => {
  it('folds oe, dj, tj, sj always', () => {
    expect(foldOldSpelling('soekarno')).toBe('sukarno');
    expect(foldOldSpelling('djoko')).toBe('joko');
    expect(foldOldSpelling('tjipto')).toBe('cipto');
    expect(foldOldSpelling('sjahrir')).toBe('syahrir');
  });

  it('reads the other j of an old-spelling token as y', () => {
    expect(foldOldSpelling('tjahjono')).toBe('cahyono');
    expect(foldOldSpelling('djojohadikoesoemo')).toBe('joyohadikusumo');
    expect(foldOldSpelling('joesoef')).toBe('yusuf');
    expect(foldOldSpelling('joko')).toBe('joko'); // today's spelling: j stays j
  });

  it('folds nj only at the start of a token or inside an old-spelling token', () => {
    expect(foldOldSpelling('njoman')).toBe('nyoman');
    expect(foldOldSpelling('soenjoto')).toBe('sunyoto');
    expect(foldOldSpelling('panji')).toBe('panji');
    expect(foldOldSpelling('anjani')).toBe('anjani');
  });

  it('folds ch to kh for Arabic names, to c or k where it is not an Arabic sound', () => {
    expect(foldOldSpelling('chairul')).toBe('khairul');
    expect(foldOldSpelling('cholid')).toBe('kholid');
    expect(foldOldSpelling('chusnul')).toBe('khusnul');
    expect(foldOldSpelling('achmad')).toBe('akhmad');
    expect(foldOldSpelling('rachmat')).toBe('rakhmat');
    expect(foldOldSpelling('fachri')).toBe('fakhri');
    // not Arabic
    expect(foldOldSpelling('chandra')).toBe('candra');
    expect(foldOldSpelling('chen')).toBe('cen');
    expect(foldOldSpelling('christina')).toBe('kristina');
    expect(foldOldSpelling('chintya')).toBe('cintya');
    expect(foldOldSpelling('chelsea')).toBe('celsea');
  });

  it('leaves foreign names whose oe is not old spelling alone', () => {
    expect(foldOldSpelling('joel')).toBe('joel');
    expect(foldOldSpelling('noel')).toBe('noel');
    expect(foldOldSpelling('chloe')).toBe('kloe');
    expect(foldOldSpelling('joeliani')).toBe('yuliani'); // an Indonesian name in old spelling
  });

  it('is stable and leaves today\'s spellings alone', () => {
    for (const token of ['sukarno', 'joko', 'cahyono', 'khairul', 'candra', 'nyoman', 'syahrir', 'kristina', 'budi']) {
      expect(foldOldSpelling(token)).toBe(token);
    }
    for (const token of ['tjahjono', 'chairul', 'djojohadikoesoemo', 'njoman', 'christina']) {
      expect(foldOldSpelling(foldOldSpelling(token))).toBe(foldOldSpelling(token));
    }
  });
});

describe('canonicalToken', () => {
  it('writes Muhammad one way; abbreviations only as the first of several tokens', () => {
    for (const v of ['muhammad', 'muhamad', 'mohammad', 'mohamad', 'moehammad', 'mochammad', 'mochamad', 'mokhammad']) {
      expect(canonicalToken(v), v).toBe('muhammad');
    }
    for (const v of ['m', 'moch', 'moh', 'mhd', 'muh', 'mokh']) {
      expect(canonicalToken(v, 0, 2), v).toBe('muhammad');
      expect(canonicalToken(v, 1, 2), v).toBe(v);
      expect(canonicalToken(v, 0, 1), v).toBe(v);
    }
  });

  it('writes Ahmad and Abdul one way and splits glued Abdul- names', () => {
    expect(canonicalToken('akhmad')).toBe('ahmad');
    expect(canonicalToken('achmad')).toBe('ahmad');
    expect(canonicalToken('abd')).toBe('abdul');
    expect(canonicalToken('abdoel')).toBe('abdul');
    expect(canonicalToken('abdurrahman')).toBe('abdul rahman');
    expect(canonicalToken('abdurrohim')).toBe('abdul rohim');
    expect(canonicalToken('abdussalam')).toBe('abdul salam');
    expect(canonicalToken('abdulaziz')).toBe('abdul aziz');
    expect(canonicalToken('abdullah')).toBe('abdullah');
    expect(canonicalToken('abdulloh')).toBe('abdulloh');
    expect(canonicalToken('budi')).toBe('budi');
  });
});

describe('collapseRepeatedLetters', () => {
  it('shortens runs of the same letter', () => {
    expect(collapseRepeatedLetters('siiiti')).toBe('siiti');
    expect(collapseRepeatedLetters('muhammmad')).toBe('muhammad');
    expect(collapseRepeatedLetters('annisa', 1)).toBe('anisa');
    expect(collapseRepeatedLetters('muhammad', 1)).toBe('muhamad');
    expect(collapseRepeatedLetters('')).toBe('');
    expect(() => collapseRepeatedLetters('a', 0)).toThrow(RangeError);
  });
});

describe('normalizeName', () => {
  it('cleans case, punctuation, accents and whitespace', () => {
    expect(n('  BUDI   Santoso ')).toBe('budi santoso');
    expect(n('José Ramos-Horta')).toBe('jose ramos horta');
    expect(n('Budi (Santoso)')).toBe('budi santoso');
    expect(n('Budi 2')).toBe('budi');
    expect(n('')).toBe('');
    expect(n(' ... ')).toBe('');
  });

  it('runs every step together', () => {
    expect(n('Hj. SITI  Aminah, S.Pd.')).toBe('siti aminah');
    expect(n('Moch. Djoko Tjahjono')).toBe('muhammad joko cahyono');
    expect(n('Abd. Rachman')).toBe('abdul rakhman');
    expect(n('Abdurrahman Wahid')).toBe('abdul rahman wahid');
    expect(n('Abdul Rahman Wahid')).toBe('abdul rahman wahid');
    expect(n('H. M. Yusuf Kalla')).toBe('muhammad yusuf kalla');
    expect(n('Hadji Agoes Salim')).toBe('agus salim');
    expect(n('Toean Djoko')).toBe('joko'); // a title that only appears once its spelling is folded
    expect(n('Achmad Fachrudin')).toBe('ahmad fakhrudin');
    expect(n('Budi Santoso, S.Kom., M.M.')).toBe('budi santoso');
    expect(n('Siiiti Annisa')).toBe('siiti annisa');
  });

  it('brings old and new spellings of the same name together', () => {
    const pairs: Array<[string, string]> = [
      ['Soeharto', 'Suharto'],
      ['Djoko Susilo', 'Joko Susilo'],
      ['Tjahjo Kumolo', 'Cahyo Kumolo'],
      ['Sjafruddin', 'Syafruddin'],
      ['Njoman Sudarsa', 'Nyoman Sudarsa'],
      ['Chairul Tanjung', 'Khairul Tanjung'],
      ['Chandra Wijaya', 'Candra Wijaya'],
      ['Mochamad Rizki', 'Muhammad Rizki'],
      ['Moh. Rizki', 'Muhamad Rizki'],
      ['Mhd. Rizki', 'Mohammad Rizki'],
      ['M. Rizki', 'Mochammad Rizki'],
    ];
    for (const [a, b] of pairs) expect(n(a), `${a} / ${b}`).toBe(n(b));
  });

  it('reads the usual abbreviations of the first name', () => {
    expect(n('H.M. Yusuf')).toBe('muhammad yusuf');
    expect(n('M Ali')).toBe('muhammad ali');
    expect(n('Muh. Ali')).toBe('muhammad ali');
    expect(n('St. Nurbaya')).toBe('siti nurbaya');
    expect(n('St Aisyah')).toBe('siti aisyah');
    expect(n('Budi S.T.')).toBe('budi'); // at the end S.T. is the degree
    expect(n('K.H. Ahmad Dahlan')).toBe('ahmad dahlan');
    expect(n('Drs. H. Moch. Soebagio, M.Si')).toBe('muhammad subagio');
  });

  it('drops "the late" before or after the name', () => {
    expect(n('Almh. Siti Aminah')).toBe('siti aminah');
    expect(n('SITI AMINAH (ALM)')).toBe('siti aminah');
    expect(n('Budi Santoso Almarhum')).toBe('budi santoso');
  });

  it('keeps name parts that look like titles elsewhere (bin, Ni, I, Teuku, Cut)', () => {
    expect(n('Ahmad bin Abdullah')).toBe('ahmad bin abdullah');
    expect(n('Ni Luh Putu Ayu')).toBe('ni luh putu ayu');
    expect(n('I Made Wirawan')).toBe('i made wirawan');
    expect(n('Teuku Umar')).toBe('teuku umar');
    expect(n("Tjoet Nja' Dhien")).toBe('cut nya dhien');
  });

  it('keeps single-name people as they are and invents nothing', () => {
    expect(n('Soekarno')).toBe('sukarno');
    expect(n('Ngatini')).toBe('ngatini');
    expect(n('Ibu Ngatini')).toBe('ngatini');
    expect(n('Ibu')).toBe('ibu');
    expect(n('M.')).toBe('m');
    expect(n('Muhammad')).toBe('muhammad');
    expect(n('H. Muhammad')).toBe('muhammad');
  });

  it('is idempotent', () => {
    const names = [
      'Prof. Dr. Ir. H. Budi Santoso, M.Sc., Ph.D.', 'Moch. Djoko Tjahjono', 'Abdurrahman', 'Chairul', 'Siiiiti', 'Ibu',
      'Santoso, Budi', 'R. Ajeng Kartini', 'Njoman', 'M. Rizki', 'Abd. Rachman',
    ];
    for (const name of names) expect(n(n(name)), name).toBe(n(name));
  });

  it('is idempotent on random mixtures of titles, old spellings and names', () => {
    const parts = ['H.', 'Hj.', 'Dr.', 'M.', 'Moch.', 'St.', 'Ibu', 'Abd.', 'Abdurrahman', 'Djoko', 'Tjahjono', 'Chairul', 'Chandra',
      'Njoman', 'Siiiti', 'Annisa', 'Soekarno', ', S.Kom.', ', M.M.', 'S.E.', 'Lc', 'Alm.', 'Joel', 'Budi', "Ma'ruf", 'R.', 'Rr.'];
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
    for (let k = 0; k < 500; k++) {
      const count = 1 + (next() % 5);
      const name = Array.from({ length: count }, () => parts[next() % parts.length]).join(' ');
      const once = n(name);
      expect(n(once), name).toBe(once);
      expect(once, name).toMatch(/^(?:[a-z]+(?: [a-z]+)*)?$/);
    }
  });
});

describe('nameTokens', () => {
  it('splits the normalised name', () => {
    expect(nameTokens('Budi Santoso, S.Kom., M.M.')).toEqual(['budi', 'santoso']);
    expect(nameTokens('Soekarno')).toEqual(['sukarno']);
    expect(nameTokens('')).toEqual([]);
    expect(nameTokens('Abdurrahman Wahid')).toEqual(['abdul', 'rahman', 'wahid']);
  });
});

describe('normalizeAddress', () => {
  it('pulls RT/RW out in every usual form', () => {
    const forms = ['RT 03/RW 05', 'Rt.3 Rw.5', 'RT003/RW005', 'RT/RW 003/005', 'RT/RW: 3/5', 'RT. 03 RW. 05', 'rt 3 rw 5', 'RT03RW05', 'RT 03/05', 'RT.003 / RW.005', 'RT:3 RW:5'];
    for (const form of forms) {
      expect(normalizeAddress(`Jl. Merdeka ${form} Kel. Sukajadi`), form).toEqual({ text: 'jalan merdeka kelurahan sukajadi', rt: 3, rw: 5 });
    }
  });

  it('gives null for a missing RT or RW', () => {
    expect(normalizeAddress('Jl. Raya')).toEqual({ text: 'jalan raya', rt: null, rw: null });
    expect(normalizeAddress('RW 7 Desa Sukamaju')).toEqual({ text: 'desa sukamaju', rt: null, rw: 7 });
    expect(normalizeAddress('Gg. Mawar RT 2')).toEqual({ text: 'gang mawar', rt: 2, rw: null });
    expect(normalizeAddress('')).toEqual({ text: '', rt: null, rw: null });
  });

  it('expands abbreviations', () => {
    expect(normalizeAddress('Jl. Merdeka No.12 RT 03/RW 05, Kel. Sukajadi, Kec. Sukasari, Kota Bandung')).toEqual({
      text: 'jalan merdeka nomor 12 kelurahan sukajadi kecamatan sukasari kota bandung',
      rt: 3,
      rw: 5,
    });
    expect(normalizeAddress('Jln Sudirman Nomor 5 Kab. Bandung').text).toBe('jalan sudirman nomor 5 kabupaten bandung');
    expect(normalizeAddress('JL.MERDEKA NO.1').text).toBe('jalan merdeka nomor 1');
    expect(normalizeAddress('Jalan Merdeka no12').text).toBe('jalan merdeka nomor 12');
    expect(normalizeAddress('Gang Mawar').text).toBe(normalizeAddress('Gg. Mawar').text);
    expect(normalizeAddress('Kelurahan Sukajadi Kecamatan Sukasari Kabupaten Garut').text).toBe(
      normalizeAddress('Kel. Sukajadi Kec. Sukasari Kab. Garut').text,
    );
    expect(normalizeAddress('Dsn. Krajan Ds. Sukamaju Komp. Griya Perum. Indah Blk. C Kp. Babakan Prov. Jawa Barat').text).toBe(
      'dusun krajan desa sukamaju kompleks griya perumahan indah blok c kampung babakan provinsi jawa barat',
    );
    expect(normalizeAddress('Kodya Malang').text).toBe('kota malang');
  });

  it('folds old spellings in place names', () => {
    expect(normalizeAddress('Djl. Tjikini Raya').text).toBe('jalan cikini raya');
  });

  it('does not read RT or RW inside a word', () => {
    expect(normalizeAddress('Jl. Sukartono 5')).toEqual({ text: 'jalan sukartono 5', rt: null, rw: null });
  });
});
