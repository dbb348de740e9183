import { NavLink } from 'react-router-dom';
import { useI18n } from '../i18n';

const linkClass = ({ isActive }: { isActive: boolean }) => `subnav__link${isActive ? ' subnav__link--active' : ''}`;

/** Users · Dashboard · All tickets, on every admin page. */
export function AdminNav() {
  const { t } = useI18n();
  return (
    <nav className="subnav" aria-label={t('admin.section')}>
      <NavLink to="/admin" end className={linkClass}>
        {t('admin.users')}
      </NavLink>
      <NavLink to="/admin/dashboard" className={linkClass}>
        {t('admin.dashboard')}
      </NavLink>
      <NavLink to="/all" className={linkClass}>
        {t('admin.allTickets')}
      </NavLink>
    </nav>
  );
}
