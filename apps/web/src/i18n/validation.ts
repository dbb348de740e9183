import type { MessageKey } from './dictionary';
import type { MessageParams } from './context';

/**
 * The shared zod schemas (libs/contracts) speak English; this maps their messages onto
 * dictionary keys so field errors appear in the current locale. Unknown messages are
 * shown as they are.
 */
const PATTERNS: Array<[RegExp, MessageKey, (m: RegExpMatchArray) => MessageParams]> = [
  [/^is required$/, 'validation.required', () => ({})],
  [/^must be at most (\d+) characters$/, 'validation.maxLength', (m) => ({ max: m[1]! })],
  [/^must be at least (.+)$/, 'validation.min', (m) => ({ min: m[1]! })],
  [/^must be at most (.+)$/, 'validation.max', (m) => ({ max: m[1]! })],
  [/^must be a number$/, 'validation.number', () => ({})],
  [/^must be a date/, 'validation.date', () => ({})],
  [/^must be a real date$/, 'validation.realDate', () => ({})],
  [/^must be one of/, 'validation.choice', () => ({})],
  [/^must be an email address$/, 'validation.email', () => ({})],
];

export function localizeValidationMessage(message: string, t: (key: MessageKey, params?: MessageParams) => string): string {
  for (const [pattern, key, params] of PATTERNS) {
    const match = message.match(pattern);
    if (match) return t(key, params(match));
  }
  return message;
}
