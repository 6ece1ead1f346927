import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { LANGUAGES, setLanguage, type Language } from '../i18n';
import { SCREENS } from '../routes';
import { useSession } from '../session';

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { session, signOut } = useSession();
  const caller = session!.caller;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('layout.skip')}
      </a>
      <header className="topbar">
        <span className="brand">{t('common.appName')}</span>
        <span className="who">
          {t('common.signedInAs', { role: t(`common.role.${caller.role}`), who: caller.id })}
          {' · '}
          {caller.districts ? t('common.districtsOf', { districts: caller.districts.join('、') }) : t('common.everyDistrict')}
        </span>
        <label className="language">
          <span className="visually-hidden">{t('common.language')}</span>
          <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
            {Object.entries(LANGUAGES).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={signOut}>
          {t('common.signOut')}
        </button>
      </header>
      <nav className="sidebar" aria-label={t('layout.menu')}>
        <ul>
          {SCREENS.filter((s) => s.nav && s.roles.includes(caller.role)).map((s) => (
            <li key={s.path}>
              <NavLink to={s.path}>{t(`common.nav.${s.nav}`)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
