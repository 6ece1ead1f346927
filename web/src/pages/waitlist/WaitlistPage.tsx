// A district's waitlist as the API ranks it (Guiyang points, then the earlier application, then the
// earlier registration), each rank explained (bloom#318): the rule that puts the household below the
// one above it, and its points component by component with what was measured and the band it fell in.
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { ApiError, Badge, Field, Loading, Section, TableHead, useCallersDistricts } from '../../components/ui';
import { formatDate, formatNumber } from '../../format';
import { bandKey, rankReason, type WaitlistOrder } from './rank';

const DISTRICTS = /* GraphQL */ `
  query WaitlistDistricts {
    districts {
      id
      name
    }
  }
`;

const COMPONENT = `points codes measure`;
const WAITLIST = /* GraphQL */ `
  query Waitlist($districtId: ID!) {
    waitlist(districtId: $districtId) {
      rank
      orderedBy
      enteredOn
      daysWaiting
      recheckDue
      household {
        id
        status
        applicationDate
        size
        head {
          id
          name
        }
      }
      score {
        total
        housing { ${COMPONENT} }
        familyStructure { ${COMPONENT} }
        specialDifficulty { ${COMPONENT} }
        subsidyYears { ${COMPONENT} }
      }
    }
  }
`;

export interface ScoreComponent {
  points: number;
  codes: string[];
  measure: number | null;
}

export interface Position {
  rank: number;
  orderedBy: WaitlistOrder;
  enteredOn: string;
  daysWaiting: number;
  recheckDue: boolean;
  household: { id: string; status: string; applicationDate: string; size: number; head: { id: string; name: string } | null };
  score: {
    total: number;
    housing: ScoreComponent;
    familyStructure: ScoreComponent;
    specialDifficulty: ScoreComponent;
    subsidyYears: ScoreComponent;
  };
}

const COMPONENTS = ['housing', 'familyStructure', 'specialDifficulty', 'subsidyYears'] as const;

export function WaitlistPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [districts] = useQuery<{ districts: { id: string; name: string }[] }>({ query: DISTRICTS });
  // a caseworker chooses among its own districts; the others among all
  const choices = useCallersDistricts(districts.data?.districts);
  const districtId = params.get('district') ?? choices[0]?.id ?? '';
  const [result] = useQuery<{ waitlist: Position[] }>({ query: WAITLIST, variables: { districtId }, pause: !districtId });
  const [open, setOpen] = useState<string | null>(null);
  const list = result.data?.waitlist;

  return (
    <>
      <header className="page-header">
        <h1>{t('waitlist.title')}</h1>
      </header>
      <form className="filters" role="search" aria-label={t('waitlist.filters')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('waitlist.district')}>
          <select
            value={districtId}
            onChange={(e) => {
              setOpen(null);
              setParams(new URLSearchParams({ district: e.target.value }));
            }}
          >
            {choices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
      </form>
      <p className="field-hint" id="waitlist-rule">
        {t('waitlist.rule')}
      </p>
      <ApiError error={districts.error ?? result.error} />
      {(districts.fetching || result.fetching) && !list && <Loading />}
      {list && (
        <Section title={t('waitlist.ranking', { district: choices.find((d) => d.id === districtId)?.name ?? districtId })}>
          {list.length === 0 ? (
            <p>{t('waitlist.empty')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table waitlist" aria-label={t('waitlist.table')} aria-describedby="waitlist-rule">
                <TableHead
                  columns={[
                    { label: t('waitlist.rank'), num: true },
                    t('waitlist.household'),
                    { label: t('waitlist.points'), num: true },
                    t('waitlist.applied'),
                    t('waitlist.waiting'),
                    t('waitlist.status'),
                    { label: t('waitlist.explain'), hidden: true },
                  ]}
                />
                <tbody>
                  {list.map((p, i) => {
                    const expanded = open === p.household.id;
                    const detailId = `why-${p.household.id}`;
                    const name = p.household.head?.name ?? `#${p.household.id}`;
                    return (
                      <Fragment key={p.household.id}>
                        <tr>
                          <td className="num">{p.rank}</td>
                          <td>
                            <Link to={`/households/${p.household.id}`}>{name}</Link>
                            <span className="field-hint"> {t('waitlist.members', { count: p.household.size })}</span>
                          </td>
                          <td className="num">{p.score.total}</td>
                          <td>{formatDate(p.household.applicationDate)}</td>
                          <td>
                            {t('waitlist.since', { date: formatDate(p.enteredOn), days: formatNumber(p.daysWaiting) })}{' '}
                            {p.recheckDue && (
                              <Badge tone="warn" title={t('waitlist.recheckHint')}>
                                {t('waitlist.recheck')}
                              </Badge>
                            )}
                          </td>
                          <td>{t(`common.householdStatus.${p.household.status}`)}</td>
                          <td>
                            <button
                              type="button"
                              className="secondary"
                              aria-expanded={expanded}
                              aria-controls={detailId}
                              onClick={() => setOpen(expanded ? null : p.household.id)}
                            >
                              {t('waitlist.why', { rank: p.rank })}
                            </button>
                          </td>
                        </tr>
                        {expanded && (
                          <tr className="explanation">
                            <td colSpan={7} id={detailId}>
                              <RankExplanation position={p} above={list[i - 1]} name={name} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      )}
    </>
  );
}

/** the rule that orders `position` after `above`, and its points by component */
export function RankExplanation({ position, above, name }: { position: Position; above: Position | undefined; name: string }) {
  const { t } = useTranslation();
  const facts = (p: Position) => ({
    rank: p.rank,
    orderedBy: p.orderedBy,
    points: p.score.total,
    applicationDate: p.household.applicationDate,
    name: p.household.head?.name ?? `#${p.household.id}`,
  });
  const reason = rankReason(facts(position), above && facts(above));
  const because = t(reason.key, {
    ...reason.values,
    date: reason.values.date && formatDate(reason.values.date),
    aboveDate: reason.values.aboveDate && formatDate(reason.values.aboveDate),
  });
  return (
    <section className="rank-explanation" aria-label={t('waitlist.explanationOf', { rank: position.rank, name })}>
      <p>
        <strong>{t('waitlist.whyTitle', { rank: position.rank })}</strong> {because}
      </p>
      <table className="table" aria-label={t('waitlist.breakdown')}>
        <TableHead columns={[t('waitlist.component'), t('waitlist.measured'), t('waitlist.band'), { label: t('waitlist.points'), num: true }]} />
        <tbody>
          {COMPONENTS.map((c) => {
            const part = position.score[c];
            return (
              <tr key={c}>
                <th scope="row">{t(`waitlist.part.${c}`)}</th>
                <td>{measured(t, c, part)}</td>
                <td>{part.codes.length ? part.codes.map((code) => bandLabel(t, code)).join('、') : t('waitlist.noBand')}</td>
                <td className="num">{part.points}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              {t('waitlist.total')}
            </th>
            <td className="num">
              <strong>{position.score.total}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

function measured(t: T, component: (typeof COMPONENTS)[number], part: ScoreComponent): string {
  switch (component) {
    case 'housing':
      return part.measure === null ? t('waitlist.noHousing') : t('waitlist.perCapita', { area: formatNumber(part.measure, 2) });
    case 'familyStructure':
      return t('waitlist.generations', { count: part.measure ?? 1 });
    case 'specialDifficulty':
      return part.codes.length ? t('waitlist.certified') : t('waitlist.noneRecorded');
    case 'subsidyYears':
      return part.measure === null ? t('waitlist.notSubsidised') : t('waitlist.years', { years: formatNumber(part.measure, 2) });
  }
}

function bandLabel(t: T, code: string): string {
  return t(bandKey(code), { defaultValue: code.replace(/^POINTS\./, '') });
}
