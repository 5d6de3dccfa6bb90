/**
 * The 17 creative-economy subsectors (ekonomi kreatif), in the official order. Pure data: any
 * module may import it. `code` is a stable slug of the Indonesian name; never change one, other
 * tables store it.
 */
export interface Subsector {
  code: string;
  nameId: string;
  nameEn: string;
}

export const SUBSECTORS = [
  { code: 'aplikasi', nameId: 'Aplikasi', nameEn: 'Apps' },
  { code: 'pengembang-permainan', nameId: 'Pengembang Permainan', nameEn: 'Game Development' },
  { code: 'arsitektur', nameId: 'Arsitektur', nameEn: 'Architecture' },
  { code: 'desain-interior', nameId: 'Desain Interior', nameEn: 'Interior Design' },
  { code: 'desain-komunikasi-visual', nameId: 'Desain Komunikasi Visual', nameEn: 'Visual Communication Design' },
  { code: 'desain-produk', nameId: 'Desain Produk', nameEn: 'Product Design' },
  { code: 'fesyen', nameId: 'Fesyen', nameEn: 'Fashion' },
  { code: 'film-animasi-dan-video', nameId: 'Film, Animasi, dan Video', nameEn: 'Film, Animation and Video' },
  { code: 'fotografi', nameId: 'Fotografi', nameEn: 'Photography' },
  { code: 'kriya', nameId: 'Kriya', nameEn: 'Crafts' },
  { code: 'kuliner', nameId: 'Kuliner', nameEn: 'Culinary' },
  { code: 'musik', nameId: 'Musik', nameEn: 'Music' },
  { code: 'penerbitan', nameId: 'Penerbitan', nameEn: 'Publishing' },
  { code: 'periklanan', nameId: 'Periklanan', nameEn: 'Advertising' },
  { code: 'seni-pertunjukan', nameId: 'Seni Pertunjukan', nameEn: 'Performing Arts' },
  { code: 'seni-rupa', nameId: 'Seni Rupa', nameEn: 'Fine Arts' },
  { code: 'televisi-dan-radio', nameId: 'Televisi dan Radio', nameEn: 'Television and Radio' },
] as const satisfies readonly Subsector[];

export type SubsectorCode = (typeof SUBSECTORS)[number]['code'];

export const SUBSECTOR_CODES = SUBSECTORS.map((s) => s.code) as SubsectorCode[];

export function isSubsectorCode(value: string): value is SubsectorCode {
  return (SUBSECTOR_CODES as string[]).includes(value);
}
