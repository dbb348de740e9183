export { I18nProvider } from './I18nProvider';
export { useI18n, type I18n } from './context';
export { DICTIONARIES, LOCALE_NAMES, type MessageKey } from './dictionary';
export { localizeValidationMessage } from './validation';
