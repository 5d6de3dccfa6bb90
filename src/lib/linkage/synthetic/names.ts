/**
 * Regional name pools and how names are put together in each tradition. Spellings are modern
 * (EYD); the duplicate generator turns some of them into old spellings later.
 * Pools are space-separated words so the file stays readable; "_" stands for a space inside one entry.
 */
import type { Rng } from './prng.ts';
import type { NameGroup } from './regions.ts';

const words = (s: string): string[] => s.trim().split(/\s+/).map((w) => w.replace(/_/g, ' '));

const JAVANESE_MALE = words(`Agus Bambang Budi Joko Slamet Sutrisno Suparman Sugeng Teguh Wahyu Heru Hadi Sukarno
  Sumarno Suyanto Darmo Paijo Tukiman Karno Supardi Sunarto Sugiyono Mulyono Purwanto Haryanto Widodo Suharto Bagus
  Dimas Galih Bayu Aji Yoga Arif Anton Hendro Didik Dwi Tri Eko Catur Ponidi Sarno Sukirman Wagiman Tugiyo`);
const JAVANESE_FEMALE = words(`Sri Siti Wahyuni Suparmi Sumiati Endang Tutik Ratna Lestari Rahayu Sulastri Suminah Tumini
  Dewi Ningsih Sukarti Painem Sumarni Wartini Parmi Yuliani Puji Tri Dwi Eka Kartini Sundari Winarni Partini Ayu
  Putri Indah Intan Wulan Retno Ambar Kusmiyati Sumirah Jumiyem`);
const JAVANESE_SECOND_MALE = words(`Santoso Prasetyo Wibowo Setiawan Susanto Nugroho Hartono Purnomo Wahyudi Saputra
  Kurniawan Hidayat Pratama Utomo Widodo Suryadi Raharjo Sulistyo Wicaksono Prabowo Nugraha Budiman Cahyono Kuncoro`);
const JAVANESE_SECOND_FEMALE = words(`Lestari Rahayu Wulandari Puspitasari Handayani Susanti Wahyuni Ningsih Astuti Purwanti
  Kusumawati Setyaningsih Rahmawati Safitri Anggraini Hastuti Sulistyowati Pratiwi Utami Rahmadani`);

const SUNDANESE_MALE = words(`Asep Ujang Dadang Cecep Deden Iwan Yayat Entis Ade Dede Nana Yana Ujang Jajang Dadan Engkus
  Aceng Oman Usep Wawan Endang Ruhiyat Dudi Agus Ridwan Rudi Yudi Hendra Dicky Kiki Fajar Rizal`);
const SUNDANESE_FEMALE = words(`Euis Eneng Neneng Iis Imas Cucu Enok Lilis Yeni Rina Ai Popon Nining Yati Iyah Enung Cicih
  Ela Nia Sri Tati Rika Ratih Nurul Anisa Fitri Gina Neng`);
const SUNDANESE_SECOND_MALE = words(`Saepudin Sunarya Hidayat Kurniawan Setiawan Permana Supriatna Rustandi Suryana Mulyana
  Sopyan Ruhimat Kusnadi Gunawan Suherman Sudrajat Firmansyah Nugraha Ramdani Sobandi Juhana Rohman`);
const SUNDANESE_SECOND_FEMALE = words(`Nurhayati Komalasari Rosmiati Kartika Suryani Mulyani Rohayati Sumiati Kurniasih Rahmawati
  Maryani Nurjanah Sulastri Herlina Apriliani Yulianti Fitriani Hasanah Solihah Rosita`);

const MUSLIM_MALE = words(`Ahmad Umar Ali Hasan Husein Ibrahim Ismail Yusuf Zainal Arifin Syaiful Fauzi Khairul Rizki
  Hidayat Abdullah Hamzah Ilham Farhan Rahmat Syahrul Zulkifli Sulaiman Idris Yahya Mustofa Nasrullah Fahmi Anwar
  Syamsul Kholil Sholeh Jamaludin Nurdin Taufik Hafiz Akbar Fadli Iqbal`);
const MUSLIM_FEMALE = words(`Aisyah Fatimah Khadijah Nurhaliza Zulaikha Aminah Rahmawati Khoirunnisa Syarifah Maryam
  Zahra Nurul Hasanah Halimah Rukayah Sumayyah Salma Nadia Laila Annisa Syifa Zainab Latifah Jamilah Nafisah Sakinah
  Habibah Mardiyah Rabiah Faridah`);
const MUSLIM_SECOND = words(`Rahman Hakim Hidayat Fauzi Ramadhan Syahputra Maulana Firdaus Kurniawan Nasution Rasyid
  Hamid Munir Hasibuan Rahmatullah Hidayatullah Saifullah Habibi Amrullah Fadillah Ridwan Hanafi`);
const MUHAMMAD_SPELLINGS = words('Muhammad Muhammad Muhammad Muhammad Muhamad Mohammad Mochamad Mohamad');
const ABDUL_SUFFIX = words('Rahman Aziz Karim Halim Latif Majid Rasyid Hakim Wahab Gani Kadir Rauf Muis');

const BATAK_MALE = words(`Mangatur Parlindungan Maruli Tigor Poltak Horas Sahat Torang Benny Daniel Jonner Rudolf
  Hotman Binsar Jansen Robinson Togar Marihot Bonar Saut Tumpal Parulian Lamhot Gomgom Hasudungan`);
const BATAK_FEMALE = words(`Rosmawati Lasma Tiurma Rumondang Duma Nurmala Elfrida Ruth Sarma Hotmaida Romauli Tiomsi
  Rosdiana Melva Nurcahaya Desi Lamria Hotnida Sondang Butet`);
const BATAK_MARGA = words(`Siregar Nasution Simanjuntak Sitorus Harahap Hutapea Lubis Pardede Panjaitan Silalahi Sinaga
  Simatupang Manurung Hutagalung Situmorang Sihombing Tampubolon Sembiring Ginting Tarigan Purba Saragih Damanik
  Simbolon Marpaung Pasaribu Hutabarat Napitupulu Sianturi Gultom`);

const MINANG_MALE = words(`Afrizal Zulkifli Syafrizal Yusrizal Hendri Asril Jasman Firdaus Novrizal Zulfikar Erizal Yulman
  Darmansyah Masrul Rizal Yondri Efendi Anwar Basri Syahrial Irwan Alfian Deswandi`);
const MINANG_FEMALE = words(`Rosmaniar Nurhayati Yulnita Desmawati Fitri Ernawati Yuliarni Zuraida Rosnida Yusnimar
  Nurlela Elfina Syafrida Desrianti Mardiana Rahmi Yenni Nurbaiti Asmaniar Roswita`);
const MINANG_SECOND = words('Putra Putri Chaniago Sikumbang Piliang Tanjung Koto Jambak Caniago Malin Sutan');

const BUGIS_MALE = words(`Baso Abdul Muhammad Amir Hasanuddin Sirajuddin Muhiddin Syamsuddin Ridwan Arifin Akbar Rusdi
  Syahrir Nurdin Hamka Jufri Taufik Muslimin Darwis Saleh Alimuddin Fadli`);
const BUGIS_FEMALE = words(`Sitti Hasnah Rahmatia Nurhayati Hasmawati Nurlina Suriani Hadijah Sumarni Ratnawati Jumriah
  Hasnawati Nurhaeda Rosmini Murni Nurmiati Rahmawati Hartini Syamsiah Andriani`);
const BUGIS_SECOND = words(`Rahman Hamzah Mappangara Pabittei Tahir Rauf Amir Latief Mappiare Patunru Sultan Daeng Tenri
  Hasan Yusuf Syam Arsyad Mustari Mallarangeng Lapasere`);

const BALINESE_ORDER = [words('Wayan Putu Gede'), words('Made Kadek Nengah'), words('Nyoman Komang'), words('Ketut')];
const BALINESE_GIVEN_MALE = words(`Sudarsana Suartana Suarjana Mahendra Adnyana Artawan Wirawan Suastika Darmawan Sudiarta
  Budiasa Mertayasa Sumerta Arsana Kariasa Suweta Wardana Putra Gunawan Parwata`);
const BALINESE_GIVEN_FEMALE = words(`Widiastuti Ariani Astuti Sukerti Sudiani Suartini Wulandari Sri_Wahyuni Puspayanti Rusmini
  Sukarini Suci Yuliantari Mariani Suryani Darmayanti Widiasih Kartini Sumerti Ardani`);

const CHINESE_GIVEN_MALE = words(`Budi Hendra Steven Kevin Wilson Ferry Hendrik Rudy Johan Andreas Felix Hartono Sugianto
  Gunawan Irwan Wijaya Jimmy Yohanes Michael Antonius Edwin Sutanto Lukas Benny`);
const CHINESE_GIVEN_FEMALE = words(`Lina Susanti Melinda Yenny Megawati Lilis Fransiska Jessica Vivian Angelina Linda Christine
  Meiliana Yuliana Natalia Margaretha Erlina Siska Veronika Cindy`);
const CHINESE_SURNAME = words(`Wijaya Gunawan Tanoto Halim Salim Tanudjaja Kurniawan Santoso Hartono Sutanto Lim Tan
  Tjahjadi Liem Setiadi Hadinata Widjaja Kusuma Tanuwidjaja Chandra Susilo Lie Oei Gozali`);
const CHINESE_SYLLABLES = words('Siok Hwa Lan Kim Bie Hok Liang Tjoen Swie Giok Hong Ing Mei Kiat Seng Tjeng Wan Ling');
const CHINESE_CLAN = words('Tan Lim Oei Liem Ong Go Kwee Tjia Lie Sie');

const EASTERN_MALE = words(`Yohanes Yosef Petrus Paulus Markus Agustinus Fransiskus Yakob Frans Meki Simon Andreas
  Stefanus Lukas Mateus Dominikus Aloysius Kornelis Yulius Ferdinandus Anselmus Yeremias Hendrik Benyamin Obet`);
const EASTERN_FEMALE = words(`Maria Yuliana Agnes Theresia Veronika Elisabeth Novita Yohana Margaretha Fransiska Regina
  Katarina Magdalena Bernadeta Kristina Yosefina Martha Sofia Rosalia Agustina Dorkas Debora`);
const NTT_SURNAME = words(`Bria Manek Nahak Seran Kolo Lake Laka Tefa Benu Fanggidae Ndun Dethan Riwu Lay Bani Nenabu
  Sabu Tallo Haning Pello Kase Atok Mau Leki Tae`);
const MALUKU_SURNAME = words(`Pattiasina Latuconsina Sahetapy Tuhumury Wattimena Pelupessy Lewerissa Ohorella Soplanit
  Manuputty Pattikawa Lekransy Tahapary Siahaya Matulessy Parinussa Lopulalan Huwae Sopacua Ralahalu`);
const PAPUA_SURNAME = words(`Wenda Kogoya Tabuni Wonda Murib Rumbiak Mandowen Ayomi Karubaba Yikwa Wanimbo Kossay Giay
  Pigai Mote Douw Tebay Rumaropen Ansaka Kambu`);
const MINAHASA_SURNAME = words(`Wowor Lumentut Sumampouw Pangemanan Rondonuwu Tumbelaka Mandagi Kaunang Walangitan Sondakh
  Lumingkewas Rumengan Supit Tangkilisan Rumondor Lontoh Karamoy Pinontoan Mamahit Manoppo`);

const MALAY_MALE = words(`Syahrial Zulkarnain Azhar Rusli Hamdan Idrus Junaidi Syamsudin Marzuki Zainuddin Razali
  Badrul Hasbullah Khairil Nazaruddin Tarmizi Fauzan Suhaimi Mahmud Jamaluddin`);
const MALAY_FEMALE = words(`Siti Nurul Zubaidah Rosnah Rohani Salmah Zaleha Maimunah Rohana Faridah Hamidah Kamariah
  Norma Juliana Rosmawati Asmah Halijah Suriati Mariam Zuraidah`);

/** Parts of a person's name that the household shares (a marga, a Chinese-Indonesian surname). */
export interface FamilyName {
  group: NameGroup;
  surname: string | null;
}

export function familyName(rng: Rng, group: NameGroup): FamilyName {
  switch (group) {
    case 'batak':
      return { group, surname: rng.pick(BATAK_MARGA) };
    case 'chinese':
      return { group, surname: rng.pick(CHINESE_SURNAME) };
    case 'ntt':
      return { group, surname: rng.pick(NTT_SURNAME) };
    case 'maluku':
      return { group, surname: rng.pick(MALUKU_SURNAME) };
    case 'papua':
      return { group, surname: rng.pick(PAPUA_SURNAME) };
    case 'minahasa':
      return { group, surname: rng.pick(MINAHASA_SURNAME) };
    default:
      return { group, surname: null };
  }
}

export interface NameRequest {
  sex: 'L' | 'P';
  birthYear: number;
  /** The household's shared name parts; a spouse passes a family of her own. */
  family: FamilyName;
  /** 1 for the first-born child, 2 for the second…; Balinese names carry it. */
  birthOrder?: number;
}

/** A full name as the person's KTP would spell it. */
export function makeName(rng: Rng, req: NameRequest): string {
  const { sex, birthYear, family } = req;
  const male = sex === 'L';
  switch (family.group) {
    case 'javanese': {
      const first = rng.pick(male ? JAVANESE_MALE : JAVANESE_FEMALE);
      // Single names were the norm for Javanese born before the 1970s and are still common.
      const singleP = birthYear < 1960 ? 0.6 : birthYear < 1975 ? 0.35 : birthYear < 1990 ? 0.15 : 0.05;
      if (rng.chance(singleP)) return first;
      const second = rng.pick(male ? JAVANESE_SECOND_MALE : JAVANESE_SECOND_FEMALE);
      return rng.chance(0.15) ? `${first} ${rng.pick(male ? JAVANESE_MALE : JAVANESE_FEMALE)} ${second}` : `${first} ${second}`;
    }
    case 'sundanese': {
      const first = rng.pick(male ? SUNDANESE_MALE : SUNDANESE_FEMALE);
      if (rng.chance(birthYear < 1970 ? 0.4 : 0.1)) return first;
      return `${first} ${rng.pick(male ? SUNDANESE_SECOND_MALE : SUNDANESE_SECOND_FEMALE)}`;
    }
    case 'muslim':
    case 'malay': {
      if (male) {
        const x = rng.next();
        const given = family.group === 'malay' && rng.chance(0.5) ? rng.pick(MALAY_MALE) : rng.pick(MUSLIM_MALE);
        if (x < 0.3) return `${rng.pick(MUHAMMAD_SPELLINGS)} ${given}${rng.chance(0.5) ? ` ${rng.pick(MUSLIM_SECOND)}` : ''}`;
        if (x < 0.4) return `Abdul ${rng.pick(ABDUL_SUFFIX)}`;
        return rng.chance(0.7) ? `${given} ${rng.pick(MUSLIM_SECOND)}` : given;
      }
      const given = family.group === 'malay' && rng.chance(0.5) ? rng.pick(MALAY_FEMALE) : rng.pick(MUSLIM_FEMALE);
      const x = rng.next();
      if (x < 0.25) return `Siti ${rng.pick(MUSLIM_FEMALE)}`;
      if (x < 0.35) return `Nur ${rng.pick(MUSLIM_FEMALE)}`;
      return rng.chance(0.5) ? `${given} ${rng.pick(MUSLIM_SECOND)}` : given;
    }
    case 'batak': {
      const given = rng.pick(male ? BATAK_MALE : BATAK_FEMALE);
      return rng.chance(0.25) ? `${given} ${rng.pick(male ? BATAK_MALE : BATAK_FEMALE)} ${family.surname}` : `${given} ${family.surname}`;
    }
    case 'minang': {
      const given = rng.pick(male ? MINANG_MALE : MINANG_FEMALE);
      return rng.chance(0.5) ? given : `${given} ${rng.pick(MINANG_SECOND)}`;
    }
    case 'bugis': {
      const noble = rng.chance(0.1) ? 'Andi ' : '';
      const given = rng.pick(male ? BUGIS_MALE : BUGIS_FEMALE);
      const first = given === 'Muhammad' ? rng.pick(MUHAMMAD_SPELLINGS) : given;
      return `${noble}${first} ${rng.pick(BUGIS_SECOND)}`;
    }
    case 'balinese': {
      const order = BALINESE_ORDER[((req.birthOrder ?? rng.range(1, 4)) - 1) % 4];
      const prefix = male ? 'I' : rng.chance(0.4) ? 'Ni Luh' : 'Ni';
      const gusti = rng.chance(0.08) ? (male ? 'Gusti ' : 'Gusti Ayu ') : '';
      const given = rng.pick(male ? BALINESE_GIVEN_MALE : BALINESE_GIVEN_FEMALE);
      return `${prefix} ${gusti}${rng.pick(order)} ${given}`;
    }
    case 'chinese': {
      // Older Chinese-Indonesians may still carry a three-part Chinese name.
      if (birthYear < 1960 && rng.chance(0.3)) return `${rng.pick(CHINESE_CLAN)} ${rng.pick(CHINESE_SYLLABLES)} ${rng.pick(CHINESE_SYLLABLES)}`;
      const given = rng.pick(male ? CHINESE_GIVEN_MALE : CHINESE_GIVEN_FEMALE);
      return given === family.surname ? given : `${given} ${family.surname}`;
    }
    default: {
      // Eastern Indonesia: Christian given names with a clan or family name.
      const given = rng.pick(male ? EASTERN_MALE : EASTERN_FEMALE);
      return rng.chance(0.3) ? `${given} ${rng.pick(male ? EASTERN_MALE : EASTERN_FEMALE)} ${family.surname}` : `${given} ${family.surname}`;
    }
  }
}

/** Groups whose members may carry the Hajj titles H./Hj. */
export const MUSLIM_GROUPS: ReadonlySet<NameGroup> = new Set(['javanese', 'sundanese', 'muslim', 'malay', 'minang', 'bugis']);

export const STREET_NAMES = words(`Melati Mawar Kenanga Anggrek Flamboyan Cempaka Dahlia Kamboja Merdeka Pahlawan Sudirman
  Diponegoro Gatot_Subroto Ahmad_Yani Imam_Bonjol Veteran Pemuda Cendrawasih Rajawali Nusantara Pattimura Kartini
  Siliwangi Pramuka Kenari Mangga Rambutan Durian Manggis Delima Nangka Beringin Cemara Bougenville Teratai Sakura
  Asia_Afrika Hasanuddin Sisingamangaraja Gajah_Mada Hayam_Wuruk Raden_Saleh Cut_Nyak_Dien Thamrin Kebon_Jeruk
  Sukajadi Sukamaju Tanjung Bukit_Indah Harapan Damai Sejahtera Makmur Bahagia Mekar_Sari`);
export const HAMLET_NAMES = words(`Krajan Sukamulya Sukamanah Cibening Karanganyar Kedungsari Ngemplak Sidomulyo Tegalrejo
  Purwosari Wonosari Sumbersari Mekarjaya Cikoneng Babakan Pasirjati Batu_Ampar Lubuk_Sejahtera Bontoala Oesapa`);
