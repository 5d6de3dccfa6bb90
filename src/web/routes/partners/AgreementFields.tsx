import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field.tsx';
import { RegionPicker } from '../../components/RegionPicker.tsx';
import type { AgreementDraft } from './partner.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/registryLists.ts';

addStrings(strings);

/**
 * The fields of one agreement. `errors` are keyed by field name (title, scopeCode, validFrom,
 * validUntil); the data-sharing box is offered only to those who may see personal data.
 */
export function AgreementFields({
  value,
  onChange,
  errors,
  mayOpenPersonalData,
}: {
  value: AgreementDraft;
  onChange: (next: AgreementDraft) => void;
  errors: Record<string, string | undefined>;
  mayOpenPersonalData: boolean;
}) {
  const { t } = useTranslation();
  const checkId = useId();
  return (
    <>
      <Field
        label={t('partnerPages.agreementTitle')}
        value={value.title}
        required
        minLength={2}
        maxLength={200}
        hint={t('partnerPages.agreementTitleHint')}
        error={errors.title}
        onChange={(e) => onChange({ ...value, title: e.target.value })}
      />
      <RegionPicker label={t('partnerPages.scopeField')} levels={[1, 2]} value={value.scope} error={errors.scopeCode} onChange={(scope) => onChange({ ...value, scope })} />
      <p className="hint">{t('partnerPages.scopeHint')}</p>
        <Field
          label={t('partnerPages.validFrom')}
          type="date"
          required
          value={value.validFrom}
          error={errors.validFrom}
          onChange={(e) => onChange({ ...value, validFrom: e.target.value })}
        />
        <Field
          label={`${t('partnerPages.validUntil')} (${t('common.optional')})`}
          type="date"
          value={value.validUntil}
          min={value.validFrom || undefined}
          hint={t('partnerPages.validUntilHint')}
          error={errors.validUntil}
          onChange={(e) => onChange({ ...value, validUntil: e.target.value })}
        />
      {mayOpenPersonalData && (
        <div className="field">
          <label className="check" htmlFor={checkId}>
            <input
              id={checkId}
              type="checkbox"
              checked={value.allowsPersonalData}
              aria-describedby={`${checkId}-hint`}
              onChange={(e) => onChange({ ...value, allowsPersonalData: e.target.checked })}
            />
            {t('partnerPages.allowsPersonalData')}
          </label>
          <p className="hint" id={`${checkId}-hint`}>
            {t('partnerPages.allowsPersonalDataHint')}
          </p>
        </div>
      )}
    </>
  );
}
