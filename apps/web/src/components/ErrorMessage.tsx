import type { ApiError } from '../api';
import { useI18n } from '../i18n';

/** An API failure as a sentence: the server's message, or a network hint. */
export function ErrorMessage({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="alert alert--error" role="alert">
      <span>{error.status === 0 ? t('error.network') : error.message || t('error.generic')}</span>
      {onRetry && (
        <button type="button" className="btn btn--small" onClick={onRetry}>
          {t('error.retry')}
        </button>
      )}
    </div>
  );
}
