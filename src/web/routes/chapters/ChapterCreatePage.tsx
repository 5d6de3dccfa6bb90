import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import { Field } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/Problem.tsx';
import { RegionPicker, type PickedRegion } from '../../components/RegionPicker.tsx';
import { normalizePhone } from '../../format.ts';
import { useAction, useDocumentTitle } from '../../hooks.ts';
import type { Chapter } from './ChaptersPage.tsx';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/registryLists.ts';

addStrings(strings);

/** Opens the chapter of a regency; the server checks that the caller manages the registry there. */
export default function ChapterCreatePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('chapterPages.newTitle'));
  const navigate = useNavigate();
  const [regency, setRegency] = useState<PickedRegion | null>(null);
  const [name, setName] = useState('');
  const [joinedOn, setJoinedOn] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [regencyError, setRegencyError] = useState<string | undefined>();

  const save = useAction(async () => {
    const created = await api.post<Chapter>('/api/chapters', {
      regencyCode: regency!.code,
      ...(name.trim() && { name: name.trim() }),
      ...(joinedOn && { joinedOn }),
      ...(email.trim() && { contactEmail: email.trim() }),
      ...(phone.trim() && { contactPhone: normalizePhone(phone) }),
    });
    navigate(`/chapter?wilayah=${encodeURIComponent(created.regency.code)}`, { state: { created: created.name } });
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!regency) {
      setRegencyError(t('chapterPages.regencyRequired'));
      return;
    }
    setRegencyError(undefined);
    void save.run();
  }

  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const inline = ['regencyCode', 'name', 'joinedOn', 'contactEmail', 'contactPhone'];
  return (
    <div className="stack">
      <p>
        <Link to="/chapter">← {t('chapterPages.back')}</Link>
      </p>
      <h1 id="chapter-form-title">{t('chapterPages.newTitle')}</h1>
      <p className="muted">{t('chapterPages.newIntro')}</p>
      <form className="panel stack" onSubmit={submit} noValidate aria-labelledby="chapter-form-title">
        <RegionPicker
          label={t('chapterPages.regencyField')}
          levels={[2]}
          required
          value={regency}
          error={regencyError ?? errors.regencyCode}
          onChange={(r) => {
            setRegency(r);
            if (r) setRegencyError(undefined);
          }}
        />
        <Field
          label={`${t('chapterPages.nameField')} (${t('common.optional')})`}
          value={name}
          maxLength={160}
          placeholder={regency ? `ICCN ${regency.name}` : ''}
          hint={t('chapterPages.nameHint')}
          error={errors.name}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          label={`${t('chapterPages.joinedOnField')} (${t('common.optional')})`}
          type="date"
          value={joinedOn}
          hint={t('chapterPages.joinedOnHint')}
          error={errors.joinedOn}
          onChange={(e) => setJoinedOn(e.target.value)}
        />
        <Field
          label={`${t('chapterPages.emailField')} (${t('common.optional')})`}
          type="email"
          autoComplete="off"
          value={email}
          error={errors.contactEmail}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label={`${t('chapterPages.phoneField')} (${t('common.optional')})`}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={phone}
          error={errors.contactPhone}
          onChange={(e) => setPhone(e.target.value)}
        />
        <ProblemAlert error={save.error} inlineFields={inline} />
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={save.busy}>
            {save.busy ? t('common.saving') : t('chapterPages.submit')}
          </button>
          <Link to="/chapter" className="btn">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </div>
  );
}
