import { z } from 'zod';

export const SubsectorItem = z.object({
  code: z.string().describe('Stable slug, e.g. "kuliner"'),
  nameId: z.string().describe('Indonesian name'),
  nameEn: z.string().describe('English name'),
});

export const ListSubsectorsResponse = z.object({ items: z.array(SubsectorItem) });
