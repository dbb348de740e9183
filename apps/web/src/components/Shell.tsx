import { useId, useState } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { useI18n } from '../i18n';
import { useSession } from '../session/context';
import { ConnectionIndicator } from './ConnectionIndicator';
import { InboxToast } from './InboxToast';
import { LanguageSwitch } from './LanguageSwitch';

const navClass = ({ isActive }: { isActive: boolean }) => `nav__link${isActive ? ' nav__link--active' : ''}`;

export function Shell() {
  const { t } = useI18n();
  const { user, inboxCount, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const navId = useId();
  const close = () => setMenuOpen(false);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <div className="topbar__row">
          <NavLink to="/todo" className="brand" onClick={close}>
            <span className="brand__mark" aria-hidden="true">
              ✓
            </span>
            {t('app.name')}
          </NavLink>
          <ConnectionIndicator />
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls={navId}
            aria-label={t('nav.menu')}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span aria-hidden="true">☰</span>
            {inboxCount ? (
              <span className="menu-button__count" aria-hidden="true">
                {inboxCount}
              </span>
            ) : null}
          </button>
        </div>
        <div className={`topbar__menu${menuOpen ? ' topbar__menu--open' : ''}`} id={navId}>
          <nav className="nav" aria-label={t('nav.main')}>
            <NavLink to="/todo" className={navClass} onClick={close}>
              {t('nav.todo')}
              {inboxCount ? (
                <span className="nav__count" data-testid="todo-count" aria-label={t('nav.todoCount', { count: inboxCount })}>
                  {inboxCount}
                </span>
              ) : null}
            </NavLink>
            <NavLink to="/mine" className={navClass} onClick={close}>
              {t('nav.mine')}
            </NavLink>
            <NavLink to="/cc" className={navClass} onClick={close}>
              {t('nav.cc')}
            </NavLink>
            <NavLink to="/new" className={navClass} onClick={close}>
              {t('nav.new')}
            </NavLink>
            {user.role === 'admin' && (
              <NavLink to="/admin" className={navClass} onClick={close}>
                {t('nav.admin')}
              </NavLink>
            )}
          </nav>
          <div className="topbar__user">
            <LanguageSwitch />
            <NavLink to="/settings/out-of-office" className={navClass} onClick={close}>
              {t('nav.outOfOffice')}
            </NavLink>
            <span className="topbar__name" title={user.email}>
              <span className="visually-hidden">{t('nav.signedInAs', { name: user.name })}</span>
              <span aria-hidden="true">{user.name}</span>
            </span>
            <button type="button" className="btn btn--ghost" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          </div>
        </div>
      </header>
      <main className="main" id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <InboxToast />
    </div>
  );
}
