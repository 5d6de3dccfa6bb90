import { useId, type Dispatch, type SetStateAction } from 'react';
import { useTranslation } from 'react-i18next';

export interface SubsectorOption {
  code: string;
  nameId: string;
  nameEn: string;
}

/** The 17 creative subsectors as checkboxes, in the chosen language, with the field's error. */
export function SubsectorChecks({
  label,
  options,
  chosen,
  onChange,
  error,
}: {
  label: string;
  options: readonly SubsectorOption[];
  chosen: string[];
  onChange: Dispatch<SetStateAction<string[]>>;
  error?: string;
}) {
  const { i18n } = useTranslation();
  const id = useId();
  return (
    <div className={`field${error ? ' field-invalid' : ''}`} data-field="subsectors">
      <span className="label" id={`${id}-label`}>
        {label}
      </span>
      <div className="check-grid" role="group" aria-labelledby={`${id}-label`} aria-describedby={error ? `${id}-error` : undefined}>
        {options.map((s) => (
          <label key={s.code} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(s.code)}
              onChange={(e) => onChange((c) => (e.target.checked ? [...c, s.code] : c.filter((x) => x !== s.code)))}
            />
            {i18n.language === 'en' ? s.nameEn : s.nameId}
          </label>
        ))}
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
