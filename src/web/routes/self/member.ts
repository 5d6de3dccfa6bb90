import type { TFunction } from 'i18next';
import type { ApiError } from '../../api/client.ts';
import { useApi } from '../../hooks.ts';

/** A member record as GET /api/members/me and GET /api/public/update/:token give it (NIK and phone masked). */
export interface OwnMember {
  id: number;
  fullName: string;
  nik: string | null;
  phone: string | null;
  email: string | null;
  gender: 'L' | 'P' | null;
  birthDate: string | null;
  regency: { code: string; name: string | null };
  district: { code: string; name: string | null } | null;
  subsectors: string[];
  skills: string[];
  portfolioLinks: string[];
  communities: { id: number; name: string; role: string }[];
  status: 'pending' | 'active' | 'rejected';
  verifiedAt: string | null;
  updatedAt: string;
}

/** What a member may correct themselves (PATCH /api/members/me and /api/public/update/:token). */
export interface OwnMemberPatch {
  fullName?: string;
  phone?: string | null;
  email?: string | null;
  gender?: 'L' | 'P' | null;
  birthDate?: string | null;
  districtCode?: string | null;
  subsectors?: string[];
  skills?: string[];
  portfolioLinks?: string[];
}

export interface SavedMember {
  member: OwnMember;
  warnings: { path: string; code: string; message: string }[];
}

export interface Subsector {
  code: string;
  nameId: string;
  nameEn: string;
}

/** The 17 subsectors (cached for the visit) and a code → name lookup in the current language. */
export function useSubsectors(lang: string) {
  const state = useApi<{ items: Subsector[] }>('/api/subsectors', { cacheable: true });
  const items = state.data?.items ?? [];
  const nameOf = (code: string) => {
    const s = items.find((x) => x.code === code);
    return s ? (lang === 'en' ? s.nameEn : s.nameId) : code;
  };
  return { ...state, items, nameOf };
}

/** The sentence to show for a problem that is not about one field. */
export function problemMessage(t: TFunction, error: ApiError): string {
  if (error.status === 0 && error.code === 'network_error') return t('common.networkError');
  return error.problem.detail || t('common.unknownError', { status: error.status });
}

/** The form field a server error path belongs to (`portfolioLinks.1` → `links`). */
export function formFieldOf(path: string): string {
  const key = path.replace(/^body\.?/, '');
  const head = key.split('.')[0] ?? '';
  if (head === 'portfolioLinks') return 'links';
  return head || '_';
}
