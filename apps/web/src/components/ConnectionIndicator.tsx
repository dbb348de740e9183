import { useSyncExternalStore } from 'react';
import { connectionStore } from '../socket';
import { useI18n } from '../i18n';

/** Live / reconnecting / offline, announced politely to screen readers. */
export function ConnectionIndicator() {
  const { t } = useI18n();
  const state = useSyncExternalStore(connectionStore.subscribe, connectionStore.getSnapshot);
  const label = t(`conn.${state}`);
  return (
    <span
      className={`conn conn--${state}`}
      role="status"
      data-state={state}
      data-testid="connection-state"
      title={t('conn.label', { state: label })}
    >
      <span className="conn__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
