import { LOCALES, type Locale } from '@signoff/contracts';
import { LOCALE_NAMES, useI18n } from '../i18n';

/** English / 简体中文 toggle; the choice is persisted by the i18n provider. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('nav.language')}>
      {LOCALES.map((l: Locale) => (
        <button
          key={l}
          type="button"
          className="lang-switch__option"
          aria-pressed={locale === l}
          lang={l === 'zh' ? 'zh-CN' : 'en'}
          onClick={() => setLocale(l)}
        >
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}
