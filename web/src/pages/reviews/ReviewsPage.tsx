// Reviews (KC-18 annual review and daily inspection, Guiyang's quarterly review) and Guiyang's yearly
// spot checks: a manager starts a run and watches its chunks finish, sees each run's outcome, opens
// the households it reviewed (worst verdict first) and the spot checks' samples, each linked to its profile.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { problemAt } from '../../client';
import { ApiError, Badge, Field, Loading, Section, TableHead, type Tone, Working } from '../../components/ui';
import { formatDate, formatDateTime, formatNumber } from '../../format';

const RUNS = /* GraphQL */ `
  query ReviewRuns {
    reviewRuns(first: 20) {
      id
      kind
      asOf
      households
      chunks
      chunksDone
      alertsRaised
      startedBy
      startedAt
      finishedAt
      verdicts {
        verdict
        count
      }
    }
  }
`;

const RUN = /* GraphQL */ `
  query ReviewRun($id: ID!, $verdict: Verdict) {
    reviewRun(id: $id) {
      id
      kind
      asOf
      households
      chunksDone
      chunks
      verdicts {
        verdict
        count
      }
      reviewed(verdict: $verdict, first: 200) {
        householdId
        verdict
        household {
          id
          status
          district {
            id
            name
          }
          head {
            id
            name
          }
        }
      }
    }
  }
`;

const START = /* GraphQL */ `
  mutation StartReview($kind: ReviewKind!) {
    startReview(kind: $kind) {
      id
      chunks
      chunksDone
      finishedAt
    }
  }
`;

const SPOT_CHECKS = /* GraphQL */ `
  query SpotChecks($year: Int!) {
    districts {
      id
      name
    }
    spotChecks(year: $year) {
      id
      year
      districtId
      seed
      share
      populationHouseholdIds
      sampleHouseholdIds
      drawnBy
      drawnAt
      verified
    }
  }
`;

const DRAW = /* GraphQL */ `
  mutation DrawSpotChecks($year: Int!, $seed: String) {
    drawSpotChecks(year: $year, seed: $seed) {
      id
    }
  }
`;

const KINDS = ['ANNUAL', 'QUARTERLY', 'DAILY'] as const;
const VERDICTS = ['INELIGIBLE', 'UNKNOWN', 'ELIGIBLE'] as const;
const VERDICT_TONE: Record<string, Tone> = { ELIGIBLE: 'ok', INELIGIBLE: 'bad', UNKNOWN: 'warn', NONE: 'muted' };

interface VerdictCount {
  verdict: string | null;
  count: number;
}

interface Run {
  id: string;
  kind: string;
  asOf: string;
  households: number;
  chunks: number;
  chunksDone: number;
  alertsRaised: number;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  verdicts: VerdictCount[];
}

interface Reviewed {
  householdId: string;
  verdict: string | null;
  household: { id: string; status: string; district: { id: string; name: string }; head: { id: string; name: string } | null };
}

interface SpotCheck {
  id: string;
  year: number;
  districtId: string;
  seed: string;
  share: number;
  populationHouseholdIds: string[];
  sampleHouseholdIds: string[];
  drawnBy: string;
  drawnAt: string;
  verified: boolean;
}

/** refetches every second while `active` (a run's chunks are still under way) */
function usePoll(active: boolean, refetch: (opts: { requestPolicy: 'network-only' }) => void) {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), 1000);
    return () => clearInterval(timer);
  }, [active, refetch]);
}

function VerdictBadge({ verdict, count }: { verdict: string | null; count?: number }) {
  const { t } = useTranslation();
  const key = verdict ?? 'NONE';
  return (
    <Badge tone={VERDICT_TONE[key] ?? 'muted'}>
      {t(`reviews.verdicts.${key}`)}
      {count !== undefined && ` ${formatNumber(count)}`}
    </Badge>
  );
}

export function ReviewsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const selected = params.get('run');
  const [runs, refetchRuns] = useQuery<{ reviewRuns: Run[] }>({ query: RUNS });
  const [started, start] = useMutation(START);
  const [kind, setKind] = useState<string>('ANNUAL');
  const running = runs.data?.reviewRuns.filter((r) => !r.finishedAt) ?? [];
  usePoll(running.length > 0, refetchRuns);
  const open = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('run', id);
    else next.delete('run');
    next.delete('verdict');
    setParams(next);
  };
  return (
    <>
      <header className="page-header">
        <h1>{t('reviews.title')}</h1>
      </header>
      <Section title={t('reviews.startTitle')}>
        <form
          className="form"
          aria-label={t('reviews.startTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            void start({ kind }).then((r) => {
              if (r.error) return;
              refetchRuns({ requestPolicy: 'network-only' });
              open(r.data.startReview.id);
            });
          }}
        >
          <Field label={t('reviews.kind')} error={problemAt(started.error, 'kind')}>
            <select value={kind} onChange={(e) => setKind(e.target.value)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`reviews.kinds.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" disabled={started.fetching}>
            {t('reviews.start')}
          </button>
        </form>
        <ApiError error={started.error} shownFields={['kind']} />
        {running.map((r) => (
          <Working key={r.id} label={`${t(`reviews.kindShort.${r.kind}`)} #${r.id} · ${t('reviews.starting', { done: r.chunksDone, total: r.chunks })}`} />
        ))}
      </Section>
      <Section title={t('reviews.runs')}>
        <ApiError error={runs.error} />
        {runs.fetching && !runs.data && <Loading />}
        {runs.data && runs.data.reviewRuns.length === 0 && <p>{t('reviews.noRuns')}</p>}
        {runs.data && runs.data.reviewRuns.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <TableHead
                columns={[
                  t('reviews.run'),
                  t('reviews.kind'),
                  t('reviews.asOf'),
                  t('reviews.started'),
                  t('reviews.progress'),
                  { label: t('reviews.households'), num: true },
                  { label: t('reviews.alertsRaised'), num: true },
                  t('reviews.outcome'),
                  { label: t('reviews.show'), hidden: true },
                ]}
              />
              <tbody>
                {runs.data.reviewRuns.map((r) => (
                  <tr key={r.id} aria-current={r.id === selected ? 'true' : undefined}>
                    <td>#{r.id}</td>
                    <td>{t(`reviews.kindShort.${r.kind}`)}</td>
                    <td>{formatDate(r.asOf)}</td>
                    <td>{t('reviews.startedLine', { who: r.startedBy, at: formatDateTime(r.startedAt) })}</td>
                    <td className="review-progress">
                      {r.finishedAt ? (
                        <>
                          <Badge tone="ok">{t('reviews.finished')}</Badge> <small>{t('reviews.finishedAt', { at: formatDateTime(r.finishedAt) })}</small>
                        </>
                      ) : (
                        <>
                          <progress
                            value={r.chunksDone}
                            max={Math.max(r.chunks, 1)}
                            aria-label={t('reviews.chunksDone', { done: r.chunksDone, total: r.chunks })}
                          />{' '}
                          <small>{t('reviews.chunksDone', { done: r.chunksDone, total: r.chunks })}</small>
                        </>
                      )}
                    </td>
                    <td className="num">{formatNumber(r.households)}</td>
                    <td className="num">{formatNumber(r.alertsRaised)}</td>
                    <td>
                      {r.verdicts.map((v) => (
                        <span key={v.verdict ?? 'NONE'}>
                          <VerdictBadge verdict={v.verdict} count={v.count} />{' '}
                        </span>
                      ))}
                    </td>
                    <td>
                      <button type="button" className="secondary" aria-label={t('reviews.showOf', { id: r.id })} onClick={() => open(r.id)}>
                        {t('reviews.show')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {selected && <ReviewedHouseholds runId={selected} active={running.some((r) => r.id === selected)} />}
      <SpotChecks />
    </>
  );
}

function ReviewedHouseholds({ runId, active }: { runId: string; active: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const verdict = params.get('verdict');
  const [result, refetch] = useQuery<{
    reviewRun: (Omit<Run, 'alertsRaised' | 'startedBy' | 'startedAt' | 'finishedAt'> & { reviewed: Reviewed[] }) | null;
  }>({ query: RUN, variables: { id: runId, verdict } });
  usePoll(active, refetch);
  const run = result.data?.reviewRun;
  const total = run ? (verdict ? (run.verdicts.find((v) => v.verdict === verdict)?.count ?? 0) : run.verdicts.reduce((n, v) => n + v.count, 0)) : 0;
  return (
    <Section
      title={
        run
          ? t('reviews.reviewedTitle', { id: run.id, kind: t(`reviews.kindShort.${run.kind}`), date: formatDate(run.asOf) })
          : t('reviews.showOf', { id: runId })
      }
    >
      <ApiError error={result.error} />
      {result.fetching && !run && <Loading />}
      {run && (
        <>
          <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <Field label={t('reviews.verdict')}>
              <select
                value={verdict ?? ''}
                onChange={(e) => {
                  const next = new URLSearchParams(params);
                  if (e.target.value) next.set('verdict', e.target.value);
                  else next.delete('verdict');
                  setParams(next);
                }}
              >
                <option value="">{t('common.all')}</option>
                {VERDICTS.map((v) => (
                  <option key={v} value={v}>
                    {t(`reviews.verdicts.${v}`)}
                  </option>
                ))}
              </select>
            </Field>
          </form>
          {run.reviewed.length === 0 ? (
            <p>{t('reviews.noReviewed')}</p>
          ) : (
            <>
              <table className="table">
                <TableHead columns={[t('reviews.household'), t('reviews.head'), t('reviews.district'), t('reviews.status'), t('reviews.verdict')]} />
                <tbody>
                  {run.reviewed.map((h) => (
                    <tr key={h.householdId}>
                      <td>
                        <Link to={`/households/${h.householdId}`}>
                          {t('reviews.household')} #{h.householdId}
                        </Link>
                      </td>
                      <td>{h.household.head?.name ?? '—'}</td>
                      <td>{h.household.district.name}</td>
                      <td>{t(`common.householdStatus.${h.household.status}`)}</td>
                      <td>
                        <VerdictBadge verdict={h.verdict} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {total > run.reviewed.length && <p className="field-hint">{t('reviews.shownOf', { shown: run.reviewed.length, total })}</p>}
            </>
          )}
        </>
      )}
    </Section>
  );
}

function SpotChecks() {
  const { t } = useTranslation();
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [seed, setSeed] = useState('');
  const [notice, setNotice] = useState('');
  const yearNumber = Number(year);
  const valid = Number.isInteger(yearNumber) && yearNumber >= 2000 && yearNumber <= 2100;
  const [result, refetch] = useQuery<{ districts: { id: string; name: string }[]; spotChecks: SpotCheck[] }>({
    query: SPOT_CHECKS,
    variables: { year: yearNumber },
    pause: !valid,
  });
  const [drawn, draw] = useMutation(DRAW);
  const districtName = (id: string) => result.data?.districts.find((d) => d.id === id)?.name ?? id;
  return (
    <Section title={t('reviews.spotChecks')}>
      <form
        className="form"
        aria-label={t('reviews.drawTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          setNotice('');
          void draw({ year: yearNumber, seed: seed.trim() || null }).then((r) => {
            if (r.error) return;
            setNotice(t('reviews.drawnNotice', { count: r.data.drawSpotChecks.length }));
            refetch({ requestPolicy: 'network-only' });
          });
        }}
      >
        <Field label={t('reviews.year')} error={problemAt(drawn.error, 'year')}>
          <input type="number" min={2000} max={2100} value={year} onChange={(e) => setYear(e.target.value)} />
        </Field>
        <Field label={t('reviews.seed')} error={problemAt(drawn.error, 'seed')}>
          <input value={seed} onChange={(e) => setSeed(e.target.value)} />
        </Field>
        <button type="submit" disabled={drawn.fetching || !valid}>
          {t('reviews.draw')}
        </button>
      </form>
      <ApiError error={drawn.error} shownFields={['year', 'seed']} />
      {drawn.fetching && <Working label={t('reviews.drawing')} />}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ApiError error={result.error} />
      {result.data && result.data.spotChecks.length === 0 && <p>{t('reviews.noSpotChecks', { year })}</p>}
      {result.data && result.data.spotChecks.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <TableHead
              columns={[
                t('reviews.district'),
                t('reviews.seed'),
                { label: t('reviews.share'), num: true },
                { label: t('reviews.population'), num: true },
                t('reviews.sample'),
                t('reviews.verified'),
                t('reviews.drawn'),
              ]}
            />
            <tbody>
              {result.data.spotChecks.map((s) => (
                <tr key={s.id}>
                  <td>{districtName(s.districtId)}</td>
                  <td className="mono">{s.seed}</td>
                  <td className="num">{formatNumber(s.share * 100, 1)}%</td>
                  <td className="num">{formatNumber(s.populationHouseholdIds.length)}</td>
                  <td>
                    {s.sampleHouseholdIds.map((id) => (
                      <span key={id}>
                        <Link to={`/households/${id}`}>#{id}</Link>{' '}
                      </span>
                    ))}
                  </td>
                  <td>{s.verified ? <Badge tone="ok">{t('reviews.verifiedYes')}</Badge> : <Badge tone="bad">{t('reviews.verifiedNo')}</Badge>}</td>
                  <td>{t('reviews.startedLine', { who: s.drawnBy, at: formatDateTime(s.drawnAt) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
