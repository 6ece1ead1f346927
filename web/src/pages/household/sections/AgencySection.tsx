// What each agency knows of the household's members (and the unit's utility use), with source, as-of
// date and a badge: fresh, stale, missing or unavailable (see profile.ts agencyState).
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Badge, Section, TableHead, type Tone } from '../../../components/ui';
import { formatArea, formatDate, formatMoney, formatMonth } from '../../../format';
import { AGENCIES, agencyState, parameter, type AgencyState, type Evidence, type Freshness, type Member, type Reading, type Source } from '../profile';

export interface FactRow {
  agency: string;
  member: string;
  fact: string;
  value: string;
  asOf: string;
  source: Source;
}

const TONE: Record<Freshness, Tone> = { FRESH: 'ok', STALE: 'warn', MISSING: 'muted', UNAVAILABLE: 'bad' };

export function FreshnessBadge({ state }: { state: AgencyState }) {
  const { t } = useTranslation();
  const title = state.asOf ? `${t('household.asOf', { date: formatDate(state.asOf) })} · ${t('household.ageDays', { days: state.ageDays })}` : undefined;
  return (
    <Badge tone={TONE[state.freshness]} title={title}>
      {t(`common.freshness.${state.freshness}`)}
    </Badge>
  );
}

/** every agency fact as one row: who, what, the value, as of when, from where */
export function factRows(members: readonly Member[], readings: readonly Reading[], t: TFunction): FactRow[] {
  const rows: FactRow[] = [];
  const v = (key: string, values: Record<string, unknown> = {}) => t(`household.factValue.${key}`, values);
  for (const m of members) {
    const row = (agency: string, fact: string, value: string, r: { asOf: string; source: Source }) =>
      rows.push({ agency, member: m.name, fact, value, asOf: r.asOf, source: r.source });
    if (m.death) row(m.death.agency, t('household.factKind.death'), v('died', { date: formatDate(m.death.diedOn) }), m.death);
    if (m.allowance)
      row(
        'civil-affairs',
        t('household.factKind.allowance'),
        `${t(`household.allowanceStatus.${m.allowance.status}`)} · ${m.allowance.until ? v('sinceUntil', { from: formatDate(m.allowance.since), to: formatDate(m.allowance.until) }) : v('since', { date: formatDate(m.allowance.since) })}`,
        m.allowance,
      );
    for (const i of m.incomes ?? []) row('civil-affairs', t('household.factKind.income', { year: i.year }), formatMoney(i.annualIncome), i);
    if (m.maritalStatus)
      row(
        'civil-affairs',
        t('household.factKind.marital'),
        `${t(`household.maritalStatus.${m.maritalStatus.status}`)} · ${v('since', { date: formatDate(m.maritalStatus.since) })}`,
        m.maritalStatus,
      );
    for (const d of m.disabilityCertificates ?? [])
      row('civil-affairs', t('household.factKind.disability'), v('grade', { grade: d.grade, category: t(`household.disabilityCategory.${d.category}`) }), d);
    if (m.hukou)
      row('public-security', t('household.factKind.hukou'), v('hukou', { kind: t(`household.hukouKind.${m.hukou.kind}`), area: m.hukou.areaCode }), m.hukou);
    for (const c of m.vehicles ?? [])
      row(
        'public-security',
        t('household.factKind.vehicle'),
        v('vehicle', { plate: c.plate, price: formatMoney(c.purchasePrice) }) +
          (c.deregisteredOn ? v('deregistered', { date: formatDate(c.deregisteredOn) }) : ''),
        c,
      );
    const monthly = (
      agency: string,
      fact: string,
      list: readonly { month: string; employer: string; amount: number; asOf: string; source: Source }[] | null,
    ) => {
      if (!list?.length) return;
      const sorted = [...list].sort((a, b) => a.month.localeCompare(b.month));
      const last = sorted[sorted.length - 1]!;
      const newest = [...list].sort((a, b) => a.asOf.localeCompare(b.asOf))[list.length - 1]!;
      row(
        agency,
        fact,
        v('months', {
          count: list.length,
          amount: formatMoney(list.reduce((s, x) => s + x.amount, 0)),
          last: formatMonth(last.month),
          employer: last.employer,
        }),
        newest,
      );
    };
    monthly('social-security', t('household.factKind.pension'), m.pensionContributions);
    for (const c of m.labourContracts ?? [])
      row(
        'social-security',
        t('household.factKind.contract'),
        v('contract', { employer: c.employer, from: formatDate(c.startDate), to: c.endDate ? formatDate(c.endDate) : v('openEnded') }),
        c,
      );
    monthly('provident-fund', t('household.factKind.deposit'), m.providentFundDeposits);
    for (const p of m.properties ?? [])
      row(
        'real-estate',
        t('household.factKind.property'),
        v('property', { kind: t(`household.propertyKind.${p.kind}`), location: p.location, area: formatArea(p.floorArea) }) +
          (p.disposedOn ? v('disposed', { date: formatDate(p.disposedOn) }) : ''),
        p,
      );
    for (const b of m.businesses ?? [])
      row(
        'market-regulation',
        t('household.factKind.business'),
        v('business', { name: b.name, capital: formatMoney(b.registeredCapital), status: t(`household.businessStatus.${b.status}`) }),
        b,
      );
  }
  if (readings.length) {
    const newest = [...readings].sort((a, b) => a.asOf.localeCompare(b.asOf))[readings.length - 1]!;
    const months = new Set(readings.map((r) => r.month.slice(0, 7)));
    rows.push({
      agency: 'utilities',
      member: '—',
      fact: t('household.factKind.utility'),
      value: v('readings', { count: months.size }),
      asOf: newest.asOf,
      source: newest.source,
    });
  }
  return rows;
}

export function agencyStates(
  rows: readonly FactRow[],
  evidence: readonly Evidence[],
  unavailable: ReadonlySet<string>,
  parameters: readonly { code: string; value: number }[] | undefined,
  today: string,
): AgencyState[] {
  return AGENCIES.map((agency) =>
    agencyState(
      agency,
      rows.filter((r) => r.agency === agency),
      evidence,
      unavailable,
      parameter(parameters, `EVIDENCE_MAX_AGE_DAYS.${agency}`),
      today,
    ),
  );
}

export function AgencySection({ rows, states }: { rows: FactRow[]; states: AgencyState[] }) {
  const { t } = useTranslation();
  return (
    <Section title={t('household.agencies')}>
      <p className="field-hint">{t('household.agenciesExplain')}</p>
      <div className="agency-grid">
        {states.map((s) => {
          const mine = rows.filter((r) => r.agency === s.agency);
          const name = t(`household.agency.${s.agency}`);
          return (
            <section key={s.agency} className="agency" aria-label={name}>
              <header className="agency-header">
                <h3>{name}</h3>
                <FreshnessBadge state={s} />
              </header>
              <p className={s.freshness === 'UNAVAILABLE' ? 'agency-meta unavailable' : 'agency-meta'}>
                {s.freshness === 'UNAVAILABLE' && mine.length === 0
                  ? t('household.unavailableExplain')
                  : mine.length === 0
                    ? s.asOf
                      ? t('household.declaredNone', { date: formatDate(s.asOf) })
                      : t('household.noRecords')
                    : `${t('household.asOf', { date: formatDate(s.asOf) })} · ${t('household.ageDays', { days: s.ageDays })}`}
                {s.sources.length > 0 && ` · ${s.sources.map((x) => t(`household.dataSource.${x}`)).join(t('household.listSeparator'))}`}
              </p>
              {s.freshness === 'UNAVAILABLE' && mine.length > 0 && <p className="field-error">{t('household.unavailableExplain')}</p>}
              {mine.length > 0 && (
                <table className="table compact">
                  <TableHead columns={[t('household.member'), t('household.fact'), t('household.value'), t('household.source')]} />
                  <tbody>
                    {mine.map((r, i) => (
                      <tr key={i}>
                        <td>{r.member}</td>
                        <td>{r.fact}</td>
                        <td>{r.value}</td>
                        <td className="nowrap">
                          {t(`household.dataSource.${r.source}`)} · {formatDate(r.asOf)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          );
        })}
      </div>
    </Section>
  );
}
