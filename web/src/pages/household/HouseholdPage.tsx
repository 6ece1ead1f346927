// The integrated profile of one household: what the bureau keeps and what each agency knows, masked as
// the API masks it, with the qualification, points, timeline and utility use; then the work panels.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery, type CombinedError } from 'urql';
import { ApiError, Badge, Loading, Section } from '../../components/ui';
import { formatArea, formatDate } from '../../format';
import { useSession } from '../../session';
import { HOUSEHOLD_PANELS } from './panels';
import {
  mainTenancy,
  monthsBefore,
  PROFILE,
  QUALIFICATION,
  timelineOf,
  unavailableAgencies,
  utilityMonths,
  type ProfileData,
  type QualificationData,
} from './profile';
import { AgencySection, agencyStates, factRows } from './sections/AgencySection';
import { MembersSection } from './sections/MembersSection';
import { PointsSection, QualificationSection } from './sections/QualificationSection';
import { TenancySection } from './sections/TenancySection';
import { TimelineSection } from './sections/TimelineSection';
import { UtilitiesSection } from './sections/UtilitiesSection';

/** the errors other than an agency being unavailable (those show as the agency's badge) */
function withoutAgencyOutages(error: CombinedError | undefined): CombinedError | undefined {
  if (!error) return undefined;
  if (error.networkError) return error;
  const rest = error.graphQLErrors.filter((e) => e.extensions?.['code'] !== 'AGENCY_UNAVAILABLE');
  return rest.length ? ({ ...error, graphQLErrors: rest } as CombinedError) : undefined;
}

/** the sections the contents bar jumps to (each a region named by its title) */
const SECTIONS = ['members', 'tenancy', 'qualification', 'points', 'agencies', 'utilities', 'timeline'] as const;

function jumpTo(title: string) {
  const target = [...document.querySelectorAll<HTMLElement>('section.card')].find((s) => s.getAttribute('aria-label') === title);
  if (!target) return;
  target.scrollIntoView({ block: 'start' });
  // the heading takes the focus, so the keyboard goes on from there
  const heading = target.querySelector<HTMLElement>('h2');
  heading?.setAttribute('tabindex', '-1');
  heading?.focus();
}

// a year and a half of monthly records: enough to see a vacancy or arrears build up
const FROM = monthsBefore(new Date().toISOString().slice(0, 10), 18);

export function HouseholdPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { session } = useSession();
  const [result, reload] = useQuery<ProfileData>({ query: PROFILE, variables: { id, from: FROM } });
  const h = result.data?.household;
  const policy = h?.district.policy.id;
  const [qResult, reloadQ] = useQuery<QualificationData>({ query: QUALIFICATION, variables: { id, policy }, pause: !policy });

  const tenancy = h ? mainTenancy(h.tenancies) : null;
  const readings = useMemo(() => tenancy?.unit.utilityUse ?? [], [tenancy]);
  const parameters = result.data?.kc?.parameters;
  const q = qResult.data?.household;
  const agencies = useMemo(() => {
    if (!h) return null;
    const rows = factRows(h.members, readings, t);
    const unavailable = unavailableAgencies([...(result.error?.graphQLErrors ?? []), ...(qResult.error?.graphQLErrors ?? [])]);
    const evidence = q?.qualification.criteria.flatMap((c) => c.evidence) ?? [];
    const today = q?.qualification.asOf ?? new Date().toISOString().slice(0, 10);
    return { rows, states: agencyStates(rows, evidence, unavailable, parameters, today) };
  }, [h, readings, t, result.error, qResult.error, q, parameters]);

  if (result.fetching && !result.data) return <Loading />;
  if (!h)
    return (
      <>
        <ApiError error={result.error} />
        {!result.error && <p role="alert">{t('common.notFound')}</p>}
        <Link to="/households">{t('household.back')}</Link>
      </>
    );
  const events = timelineOf(h, result.data?.alerts?.nodes ?? []);
  const openAlerts = (result.data?.alerts?.nodes ?? []).filter((a) => a.status === 'OPEN').length;
  const onChanged = () => {
    reload({ requestPolicy: 'network-only' });
    reloadQ({ requestPolicy: 'network-only' });
  };
  return (
    <div className="profile">
      <p className="crumb">
        <Link to="/households">{t('household.back')}</Link>
      </p>
      <header className="page-header">
        <h1>{t('household.title', { id: h.id })}</h1>
        <span>
          {h.district.name} · {t(`common.householdStatus.${h.status}`)} · {t(`common.householdCategory.${h.category}`)} ·{' '}
          {t('household.appliedOn', { date: formatDate(h.applicationDate) })}
        </span>
        {openAlerts > 0 && (
          <Badge tone="bad">
            {t('household.timelineKind.alert')} × {openAlerts}
          </Badge>
        )}
      </header>
      <nav className="profile-nav" aria-label={t('household.sections')}>
        {SECTIONS.map((key) => (
          <button key={key} type="button" className="secondary" onClick={() => jumpTo(t(`household.${key}`))}>
            {t(`household.${key}`)}
          </button>
        ))}
      </nav>
      <ApiError error={withoutAgencyOutages(result.error)} />
      <div className="profile-grid">
        <MembersSection householdId={h.id} members={h.members} />
        <Section title={t('household.housing')}>
          {h.currentHousing ? (
            <p>
              {t('household.housingLine', {
                area: formatArea(h.currentHousing.floorArea),
                perCapita: formatArea(h.currentHousing.perCapitaArea),
                tenure: t(`household.tenure.${h.currentHousing.tenure}`),
              })}
            </p>
          ) : (
            <p>{t('common.none')}</p>
          )}
        </Section>
      </div>
      <TenancySection tenancy={tenancy} />
      <ApiError error={withoutAgencyOutages(qResult.error)} />
      {q ? (
        <>
          <QualificationSection q={q.qualification} />
          <PointsSection householdId={h.id} districtId={h.district.id} data={q} />
        </>
      ) : (
        qResult.fetching && <Loading />
      )}
      {agencies && <AgencySection rows={agencies.rows} states={agencies.states} />}
      <UtilitiesSection
        months={utilityMonths(readings, parameters)}
        address={tenancy?.unit.address ?? null}
        units={Object.fromEntries(readings.map((r) => [r.kind, r.unit]))}
      />
      <TimelineSection events={events} />
      {HOUSEHOLD_PANELS.filter((p) => session && p.roles.includes(session.caller.role)).map((p) => (
        <p.component key={p.key} householdId={h.id} onChanged={onChanged} />
      ))}
    </div>
  );
}
