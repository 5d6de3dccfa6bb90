import { z } from 'zod';

/** A Kemendagri code with dots: province "32", regency "32.73", district "32.73.01", village "32.73.01.1001". */
export const RegionCode = z
  .string()
  .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'region_code_format')
  .describe('Kemendagri region code with dots, e.g. 32.73');

export const RegionLevel = z.coerce
  .number()
  .int()
  .min(1)
  .max(4)
  .describe('1 province, 2 regency/city, 3 district (kecamatan), 4 village (desa/kelurahan)');

const Level = z.number().int().min(1).max(4);

export const RegionItem = z.object({
  code: z.string(),
  name: z.string(),
  level: Level,
  parentCode: z.string().nullable(),
});

export const ListRegionsQuery = z.object({
  level: RegionLevel.optional().describe('Level to list; default provinces, or the children of `parent`'),
  parent: RegionCode.optional().describe('List the children of this region (with `level`: its descendants at that level)'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ListRegionsResponse = z.object({
  items: z.array(RegionItem),
  total: z.number().int(),
});

export const SearchRegionsQuery = z.object({
  q: z.string().trim().min(2).max(100).describe('Name to look for; forgives typos, abbreviations (kab, kec) and old spellings (Djakarta)'),
  level: RegionLevel.optional(),
  parent: RegionCode.optional().describe('Only regions beneath this one'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const SearchRegionsResponse = z.object({
  items: z.array(
    RegionItem.extend({
      path: z.string().describe('The region and its ancestors, e.g. "Kota Bandung, Jawa Barat"'),
      score: z.number().describe('1 for an exact match, lower for weaker matches'),
    }),
  ),
});

export const RegionParams = z.object({ code: RegionCode });

export const RegionDetail = RegionItem.extend({
  lat: z.number().nullable().describe('Centroid latitude (provinces and regencies)'),
  lng: z.number().nullable().describe('Centroid longitude (provinces and regencies)'),
  ancestors: z.array(z.object({ code: z.string(), name: z.string(), level: Level })).describe('Province first'),
  childCount: z.number().int(),
});

export const AttributionResponse = z.object({
  items: z.array(z.object({ subject: z.string(), text: z.string(), license: z.string(), source: z.string() })),
  text: z.string().describe('All credits in one line, for the corner of a map'),
});

export const GeoRegenciesQuery = z.object({
  province: z
    .string()
    .regex(/^\d{2}$/, 'a province code such as 32')
    .optional()
    .describe('Only the regencies of this province'),
});

export const GeoJsonResponse = z
  .object({ type: z.literal('FeatureCollection'), attribution: z.string(), features: z.array(z.unknown()) })
  .describe('GeoJSON FeatureCollection; each feature has properties code, name, lat, lng');
