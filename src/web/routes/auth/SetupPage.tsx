import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import type { SessionPayload } from '../../api/types.ts';
import { useSessionApi } from '../../app/session.tsx';
import { Field } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/Problem.tsx';
import { useAction, useDocumentTitle } from '../../hooks.ts';

export const MIN_PASSWORD = 10;
/** The file in the data folder that holds the setup code (the server also prints it). */
const SETUP_TOKEN_FILE = 'setup-token';

/** The setup-code hint with the file name kept whole (not wrapped at its hyphen). */
function TokenHint({ text }: { text: string }) {
  const i = text.indexOf(SETUP_TOKEN_FILE);
  if (i < 0) return text;
  return (
    <>
      {text.slice(0, i)}
      <code className="file-name">{SETUP_TOKEN_FILE}</code>
      {text.slice(i + SETUP_TOKEN_FILE.length)}
    </>
  );
}

/** First run: no user exists yet, so the first person creates the national admin account. */
export function SetupPage() {
  const { t } = useTranslation();
  const { state, signedIn } = useSessionApi();
  const navigate = useNavigate();
  const [form, setForm] = useState({ setupToken: '', name: '', email: '', password: '', confirm: '' });
  const [localError, setLocalError] = useState<Record<string, string>>({});
  useDocumentTitle(t('auth.setupTitle'));
  const tokenRequired = state.status === 'anonymous' && state.setupTokenRequired === true;

  const setup = useAction(async () => {
    void import('../home/HomePage.tsx');
    const session = await api.post<SessionPayload>('/api/setup', {
      name: form.name.trim(),
      email: form.email.trim(),
      password: form.password,
      ...(tokenRequired ? { setupToken: form.setupToken.trim() } : {}),
    });
    signedIn(session);
    navigate('/', { replace: true });
  });

  if (state.status === 'authenticated') return <Navigate to="/" replace />;
  if (state.status === 'anonymous' && !state.setupNeeded) return <Navigate to="/masuk" replace />;

  const fieldErrors = { ...(setup.error?.fieldErrors() ?? {}), ...localError };
  const update = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (form.password.length < MIN_PASSWORD) errs.password = t('auth.passwordTooShort');
    else if (form.password !== form.confirm) errs.confirm = t('auth.passwordMismatch');
    setLocalError(errs);
    if (Object.keys(errs).length === 0) void setup.run();
  };

  return (
    <section className="panel auth-panel" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('auth.setupTitle')}</h1>
      <p className="lead">{t('auth.setupIntro')}</p>
      <ProblemAlert error={setup.error} inlineFields={['setupToken', 'name', 'email', 'password']} />
      <form onSubmit={onSubmit}>
        {tokenRequired && (
          <Field
            label={t('auth.setupToken')}
            name="setupToken"
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            required
            hint={<TokenHint text={t('auth.setupTokenHint', { file: SETUP_TOKEN_FILE })} />}
            value={form.setupToken}
            onChange={update('setupToken')}
            error={fieldErrors.setupToken}
          />
        )}
        <Field
          label={t('auth.name')}
          name="name"
          autoComplete="name"
          required
          value={form.name}
          onChange={update('name')}
          error={fieldErrors.name}
        />
        <Field
          label={t('auth.email')}
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          required
          value={form.email}
          onChange={update('email')}
          error={fieldErrors.email}
        />
        <Field
          label={t('auth.password')}
          type="password"
          name="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD}
          hint={t('auth.passwordHint')}
          value={form.password}
          onChange={update('password')}
          error={fieldErrors.password}
        />
        <Field
          label={t('auth.passwordConfirm')}
          type="password"
          name="confirm"
          autoComplete="new-password"
          required
          value={form.confirm}
          onChange={update('confirm')}
          error={fieldErrors.confirm}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={setup.busy}>
          {setup.busy ? t('auth.submittingSetup') : t('auth.submitSetup')}
        </button>
      </form>
    </section>
  );
}
