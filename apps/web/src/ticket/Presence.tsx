import type { UserRef } from '@signoff/contracts';
import { useI18n } from '../i18n';

/** "Li Wei and 2 others are viewing": everyone watching this ticket except the caller. */
export function Presence({ viewers, selfId }: { viewers: UserRef[]; selfId: string }) {
  const { t } = useI18n();
  const others = viewers.filter((v, i) => v.id !== selfId && viewers.findIndex((w) => w.id === v.id) === i);
  let text = '';
  if (others.length === 1) text = t('presence.one', { name: others[0]!.name });
  else if (others.length === 2) text = t('presence.two', { first: others[0]!.name, second: others[1]!.name });
  else if (others.length > 2) text = t('presence.many', { name: others[0]!.name, count: others.length - 1 });
  // Always rendered, so screen readers hear changes through the live region.
  return (
    <p className="presence small" data-testid="presence" aria-live="polite" title={others.map((o) => o.name).join(', ') || undefined}>
      {text && (
        <>
          <span className="presence__dot" aria-hidden="true" />
          {text}
        </>
      )}
    </p>
  );
}
