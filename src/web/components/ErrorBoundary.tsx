import { Component, type ErrorInfo, type ReactNode } from 'react';
import i18next from '../i18n/index.ts';

interface Props {
  children: ReactNode;
  /** When this changes (e.g. the route), a shown error is cleared. */
  resetKey?: string;
}

interface State {
  error: Error | null;
  key?: string;
}

/** Catches render errors (and failed lazy chunk loads) so one broken page never blanks the app. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (props.resetKey !== state.key) return { error: null, key: props.resetKey };
    return null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Render error', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    const t = i18next.t.bind(i18next);
    return (
      <section className="panel error-page" role="alert">
        <h1>{t('errors.crashTitle')}</h1>
        <p>{t('errors.crashBody')}</p>
        <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
          {t('errors.reload')}
        </button>
      </section>
    );
  }
}
