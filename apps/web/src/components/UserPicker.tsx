import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import type { DirectoryEntry } from '@signoff/contracts';
import { api } from '../api';
import { useI18n } from '../i18n';

/**
 * Picks one colleague from GET /api/users/directory: a combobox (text input) that
 * filters a listbox of people; arrow keys move, Enter or a click chooses.
 */
export function UserPicker({
  label,
  value,
  onChange,
  excludeIds = [],
  name,
}: {
  label: string;
  value: DirectoryEntry | null;
  onChange: (user: DirectoryEntry | null) => void;
  excludeIds?: string[];
  name?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<DirectoryEntry[]>([]);
  const [active, setActive] = useState(0);
  const excluded = excludeIds.join(',');

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.directory(query.trim(), controller.signal).then(
        (found) => {
          const skip = new Set(excluded ? excluded.split(',') : []);
          setResults(found.filter((u) => !skip.has(u.id)));
          setActive(0);
        },
        () => undefined,
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, open, excluded]);

  function choose(user: DirectoryEntry) {
    onChange(user);
    setQuery('');
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, Math.max(results.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter' && open && results[active]) {
      event.preventDefault();
      choose(results[active]);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  }

  const listId = `${id}-list`;
  const showList = open && query.trim() !== '';
  return (
    <div className="field picker">
      <label htmlFor={`${id}-input`}>{label}</label>
      {value && (
        <p className="picker__selected" data-testid="picker-selected">
          <span>{t('picker.selected', { name: `${value.name} <${value.email}>` })}</span>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-label={t('picker.clear', { name: value.name })}
            onClick={() => onChange(null)}
          >
            ×
          </button>
        </p>
      )}
      <input
        id={`${id}-input`}
        name={name}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-describedby={`${id}-hint`}
        aria-activedescendant={showList && results[active] ? `${id}-opt-${results[active].id}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <p className="field__hint" id={`${id}-hint`}>
        {t('picker.hint')}
      </p>
      <ul id={listId} role="listbox" aria-label={t('picker.results')} className="picker__list" hidden={!showList}>
        {showList && results.length === 0 && (
          <li role="option" aria-selected={false} aria-disabled="true" className="picker__empty">
            {t('picker.noResults')}
          </li>
        )}
        {showList &&
          results.map((user, index) => (
            <li
              key={user.id}
              id={`${id}-opt-${user.id}`}
              role="option"
              aria-selected={index === active}
              className={`picker__option${index === active ? ' picker__option--active' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(user)}
            >
              {user.name} <span className="muted small">{user.email}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
