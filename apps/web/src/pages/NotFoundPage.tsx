import { Link } from 'react-router-dom';
import { useI18n } from '../i18n';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div className="empty">
      <h1>{t('notFound.title')}</h1>
      <Link to="/todo">{t('notFound.home')}</Link>
    </div>
  );
}
