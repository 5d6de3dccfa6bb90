/** The partner API's shapes as the partner pages use them (see server registry/schemas.ts). */
export const PARTNER_TYPES = ['government', 'academia', 'business', 'community', 'media', 'aggregator'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

export interface Agreement {
  id: number;
  title: string;
  scopeType: 'national' | 'province' | 'regency';
  scopeCode: string | null;
  validFrom: string;
  validUntil: string | null;
  allowsPersonalData: boolean;
  /** Valid today. */
  active: boolean;
}

export interface Partner {
  id: number;
  name: string;
  type: PartnerType;
  region: { code: string; name: string | null } | null;
  website: string | null;
  contactName: string | null;
  contactEmail: string | null;
  /** Masked by the server; POST …/reveal shows it (logged). */
  contactPhone: string | null;
  agreements: Agreement[];
  createdAt: string;
  updatedAt: string;
}

/** What an agreement form holds before it is sent. */
export interface AgreementDraft {
  title: string;
  scope: { code: string; name: string } | null;
  validFrom: string;
  validUntil: string;
  allowsPersonalData: boolean;
}

export const today = () => new Date().toISOString().slice(0, 10);

export const emptyAgreement = (): AgreementDraft => ({ title: '', scope: null, validFrom: today(), validUntil: '', allowsPersonalData: false });

export function agreementBody(a: AgreementDraft) {
  return {
    title: a.title.trim(),
    scopeCode: a.scope?.code ?? null,
    validFrom: a.validFrom,
    validUntil: a.validUntil || null,
    allowsPersonalData: a.allowsPersonalData,
  };
}
