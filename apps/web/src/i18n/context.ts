import { createContext, useContext } from 'react';
import type { Locale, LocalizedText } from '@signoff/contracts';
import type { MessageKey } from './dictionary';

export type MessageParams = Record<string, string | number>;

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  /** Translates a dictionary key, filling `{name}` placeholders from `params`. */
  t: (key: MessageKey, params?: MessageParams) => string;
  /** Picks the current locale's text of a LocalizedText from the API. */
  lt: (text: LocalizedText) => string;
  formatDateTime: (iso: string) => string;
}

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
