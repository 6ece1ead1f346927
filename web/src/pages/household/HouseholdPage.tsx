// The integrated profile of one household: what the bureau keeps and what each agency knows.
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ApiError, Loading, Section } from '../../components/ui';
import { formatArea, formatDate, formatMoney } from '../../format';
import { useSession } from '../../session';
import { HOUSEHOLD_PANELS } from './panels';

const PROFILE = /* GraphQL */ `
  query Household($id: ID!) {
    household(id: $id) {
      id
      status
      category
      applicationDate
      district {
        id
        name
      }
      members {
        id
        name
        residentId
        relation
        birthDate
      }
      currentHousing {
        floorArea
        tenure
        perCapitaArea
      }
      tenancy {
        id
        startDate
        monthlyRent
        unit {
          id
          address
        }
        arrears {
          monthsUnpaid
          amountOutstanding
        }
      }
    }
  }
`;

interface Profile {
  id: string;
  status: string;
  category: string;
  applicationDate: string;
  district: { id: string; name: string };
  members: { id: string; name: string; residentId: string; relation: string; birthDate: string }[];
  currentHousing: { floorArea: number; tenure: string; perCapitaArea: number } | null;
  tenancy: {
    id: string;
    startDate: string;
    monthlyRent: number;
    unit: { id: string; address: string };
    arrears: { monthsUnpaid: number; amountOutstanding: number };
  } | null;
}

export function HouseholdPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { session } = useSession();
  const [result, reload] = useQuery<{ household: Profile | null }>({ query: PROFILE, variables: { id } });
  if (result.fetching && !result.data) return <Loading />;
  const h = result.data?.household;
  if (!h)
    return (
      <>
        <ApiError error={result.error} />
        {!result.error && <p role="alert">{t('common.notFound')}</p>}
        <Link to="/households">{t('household.back')}</Link>
      </>
    );
  return (
    <>
      <header className="page-header">
        <h1>{t('household.title', { id: h.id })}</h1>
        <span>
          {h.district.name} · {t(`common.householdStatus.${h.status}`)} · {t(`common.householdCategory.${h.category}`)} ·{' '}
          {t('household.appliedOn', { date: formatDate(h.applicationDate) })}
        </span>
      </header>
      <ApiError error={result.error} />
      <Section title={t('household.members')}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('household.name')}</th>
              <th scope="col">{t('household.residentId')}</th>
              <th scope="col">{t('household.relation')}</th>
              <th scope="col">{t('household.birthDate')}</th>
            </tr>
          </thead>
          <tbody>
            {h.members.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td className="mono">{m.residentId}</td>
                <td>{m.relation}</td>
                <td>{formatDate(m.birthDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title={t('household.housing')}>
        {h.currentHousing ? (
          <p>
            {t('household.housingLine', {
              area: formatArea(h.currentHousing.floorArea),
              perCapita: formatArea(h.currentHousing.perCapitaArea),
              tenure: h.currentHousing.tenure,
            })}
          </p>
        ) : (
          <p>{t('common.none')}</p>
        )}
      </Section>
      <Section title={t('household.tenancy')}>
        {h.tenancy ? (
          <p>
            {h.tenancy.unit.address} · {formatMoney(h.tenancy.monthlyRent)} / {t('household.month')} ·{' '}
            {t('household.arrears', { months: h.tenancy.arrears.monthsUnpaid, amount: formatMoney(h.tenancy.arrears.amountOutstanding) })}
          </p>
        ) : (
          <p>{t('common.none')}</p>
        )}
      </Section>
      {HOUSEHOLD_PANELS.filter((p) => session && p.roles.includes(session.caller.role)).map((p) => (
        <p.component key={p.key} householdId={h.id} onChanged={() => reload({ requestPolicy: 'network-only' })} />
      ))}
    </>
  );
}
