// One timeline, newest first: application stages, reported changes, evaluations, alerts, exit cases, moves.
import { useTranslation } from 'react-i18next';
import { Badge, Section } from '../../../components/ui';
import { formatDate } from '../../../format';
import type { TimelineEvent } from '../profile';

/** the enum values in an event's label, translated */
function useLabel() {
  const { t } = useTranslation();
  return (e: TimelineEvent) => {
    const v = { ...(e.label.values ?? {}) };
    const tr = (key: string, group: string) => {
      if (v[key] !== undefined) v[key] = t(`household.${group}.${v[key]}`, { defaultValue: String(v[key]) });
    };
    if (e.kind === 'application') tr('stage', 'stage');
    if (e.kind === 'change') tr('kind', 'changeKind');
    if (e.kind === 'evaluation') tr('verdict', 'verdict');
    if (e.kind === 'alert') tr('status', 'alertStatus');
    if (e.kind === 'exitCase') {
      tr('ground', 'exitGround');
      tr('status', 'exitStatus');
    }
    return t(`household.timelineLabel.${e.label.key}`, v);
  };
}

export function TimelineSection({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <Section title={t('household.timeline')}>
      {events.length === 0 ? (
        <p>{t('household.noEvents')}</p>
      ) : (
        <ol className="timeline">
          {events.map((e) => (
            <li key={e.key} className={`timeline-${e.tone}`}>
              <time dateTime={e.on}>{formatDate(e.on.slice(0, 10))}</time>
              <Badge tone={e.tone}>{t(`household.timelineKind.${e.kind}`)}</Badge>
              <span className="timeline-text">
                {label(e)}
                {e.detail && <span className="timeline-detail"> — {e.detail}</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
