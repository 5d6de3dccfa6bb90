import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import type { SessionPayload } from '../../api/types.ts';
import { useSessionApi } from '../../app/session.tsx';
import { Field } from '../../components/Field.tsx';
import { ProblemAlert } from '../../components/Problem.tsx';
import { useAction, useDocumentTitle } from '../../hooks.ts';

interface FromState {
  from?: string;
  expired?: boolean;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { state, signedIn } = useSessionApi();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as FromState | null)?.from;
  const expired = (location.state as FromState | null)?.expired;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  useDocumentTitle(t('auth.loginTitle'));

  const login = useAction(async () => {
    // Fetch the home page's code while the server checks the password.
    void import('../home/HomePage.tsx');
    const session = await api.post<SessionPayload>('/api/auth/login', { email: email.trim(), password });
    signedIn(session);
    navigate(target, { replace: true });
  });

  // Signing in re-renders this page before the navigation lands: send it to the same place.
  const target = from && from !== '/masuk' ? from : '/';
  if (state.status === 'authenticated') return <Navigate to={target} replace />;
  if (state.status === 'anonymous' && state.setupNeeded) return <Navigate to="/siapkan" replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void login.run();
  };

  return (
    <section className="panel auth-panel" aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.loginTitle')}</h1>
      <p className="lead">{t('auth.loginIntro')}</p>
      {expired && !login.error && (
        <div className="alert alert-info" role="status">
          <p>{t('auth.sessionExpired')}</p>
        </div>
      )}
      <ProblemAlert error={login.error} />
      <form onSubmit={onSubmit} noValidate={false}>
        <Field
          label={t('auth.email')}
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label={t('auth.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="btn btn-primary btn-block" disabled={login.busy}>
          {login.busy ? t('auth.submittingLogin') : t('auth.submitLogin')}
        </button>
      </form>
      <p className="register-foot">
        <Link to="/daftar">{t('register.link')}</Link>
      </p>
    </section>
  );
}
