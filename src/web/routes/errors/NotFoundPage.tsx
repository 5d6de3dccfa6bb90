import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../../hooks.ts';

export default function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('errors.notFoundTitle'));
  return (
    <section className="panel error-page" aria-labelledby="nf-title">
      <p className="big-code" aria-hidden="true">
        404
      </p>
      <h1 id="nf-title">{t('errors.notFoundTitle')}</h1>
      <p>{t('errors.notFoundBody')}</p>
      <Link className="btn btn-primary" to="/">
        {t('errors.goHome')}
      </Link>
    </section>
  );
}
