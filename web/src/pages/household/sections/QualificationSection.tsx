// Qualification per criterion (actual value, threshold, article, evidence, outcome; UNKNOWN shown as
// its own thing, never as a pass), and Guiyang's points with their breakdown and the waitlist rank.
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { Badge, Section, TableHead, type Tone } from '../../../components/ui';
import { formatDate, formatNumber } from '../../../format';
import { WAITLIST, type Criterion, type QualificationData } from '../profile';

const OUTCOME_TONE: Record<Criterion['outcome'], Tone> = { PASS: 'ok', FAIL: 'bad', UNKNOWN: 'warn' };
const VERDICT_TONE: Record<string, Tone> = { ELIGIBLE: 'ok', INELIGIBLE: 'bad', UNKNOWN: 'warn' };

function Outcome({ outcome }: { outcome: Criterion['outcome'] }) {
  const { t } = useTranslation();
  return (
    <span className={`outcome outcome-${outcome.toLowerCase()}`}>
      <Badge tone={OUTCOME_TONE[outcome]}>
        {outcome === 'PASS' ? '✓ ' : outcome === 'FAIL' ? '✗ ' : '? '}
        {t(`household.criterionOutcome.${outcome}`)}
      </Badge>
    </span>
  );
}

export function QualificationSection({ q }: { q: NonNullable<QualificationData['household']>['qualification'] }) {
  const { t } = useTranslation();
  return (
    <Section
      title={t('household.qualification')}
      actions={
        <span>
          {t('household.verdictLine', { policy: q.policy.name, version: q.policy.version, date: formatDate(q.asOf) })}{' '}
          <Badge tone={VERDICT_TONE[q.verdict] ?? 'muted'}>{t(`household.verdict.${q.verdict}`)}</Badge>
        </span>
      }
    >
      {q.sinceLast && q.sinceLast.changedCriteria.length > 0 && (
        <p className="notice">
          {t('household.changedSince', { verdict: t(`household.verdict.${q.sinceLast.previousVerdict}`), criteria: q.sinceLast.changedCriteria.join(', ') })}
        </p>
      )}
      <div className="table-wrap">
        <table className="table criteria">
          <TableHead
            columns={[
              t('household.criterion'),
              t('household.actual'),
              t('household.threshold'),
              t('household.article'),
              t('household.evidence'),
              t('household.outcome'),
            ]}
          />
          <tbody>
            {q.criteria.map((c) => (
              <tr key={c.code} className={`criterion-${c.outcome.toLowerCase()}`}>
                <td data-label={t('household.criterion')}>
                  <strong>{c.description}</strong>
                  <div className="mono small">{c.code}</div>
                </td>
                <td data-label={t('household.actual')}>{c.actualText || (c.actual === null ? '—' : formatNumber(c.actual, 2))}</td>
                <td className="nowrap" data-label={t('household.threshold')}>
                  {c.threshold === null ? '—' : `${c.comparator} ${formatNumber(c.threshold, 2)}`} {c.unit}
                </td>
                <td data-label={t('household.article')}>{c.article}</td>
                <td data-label={t('household.evidence')}>
                  <ul className="evidence">
                    {c.evidence.map((e, i) => (
                      <li key={i}>
                        {t(`household.agency.${e.agency}`, { defaultValue: e.agency })}
                        {e.kind && ` · ${t(`household.evidenceKind.${e.kind}`, { defaultValue: e.kind })}`} ·{' '}
                        {e.asOf ? formatDate(e.asOf) : t('household.noEvidence')}
                        {e.stale && (
                          <>
                            {' '}
                            <Badge tone="warn">{e.asOf ? t('household.stale') : t('common.freshness.MISSING')}</Badge>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
                <td data-label={t('household.outcome')}>
                  <Outcome outcome={c.outcome} />
                  {c.reason && <div className="small">{c.reason}</div>}
                  {c.exception && (
                    <div className="small">{t('household.exceptionLine', { reason: c.exception.reason, date: formatDate(c.exception.expiresOn) })}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

const COMPONENTS = ['housing', 'familyStructure', 'specialDifficulty', 'subsidyYears'] as const;

export function PointsSection({
  householdId,
  districtId,
  data,
}: {
  householdId: string;
  districtId: string;
  data: NonNullable<QualificationData['household']>;
}) {
  const { t } = useTranslation();
  const waiting = !!data.waitlistEntry && !data.waitlistEntry.removedOn;
  const [result] = useQuery<{ waitlist: { rank: number; household: { id: string } }[] }>({ query: WAITLIST, variables: { districtId }, pause: !waiting });
  const list = result.data?.waitlist;
  const mine = list?.find((p) => p.household.id === householdId);
  const score = data.score;
  return (
    <Section
      title={t('household.points')}
      actions={
        <strong>
          {t('household.total')}: {score.total}
        </strong>
      }
    >
      <p>
        {mine && list
          ? t('household.rank', { rank: mine.rank, count: list.length })
          : data.waitlistEntry?.removedOn
            ? t('household.removedFromWaitlist', { date: formatDate(data.waitlistEntry.removedOn) })
            : !waiting
              ? t('household.notOnWaitlist')
              : ''}
      </p>
      <table className="table">
        <TableHead columns={[t('household.component'), { label: t('household.pointsCol'), num: true }, t('household.basis')]} />
        <tbody>
          {COMPONENTS.map((k) => (
            <tr key={k}>
              <td>{t(`household.score.${k}`)}</td>
              <td className="num">{score[k].points}</td>
              <td>{score[k].basis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
