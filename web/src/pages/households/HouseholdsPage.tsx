// The caseworker's list: households of the caller's districts, filtered and paged as the API pages.
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useCursorPages } from '../../components/paging';
import { ApiError, Field, Loading, Pager } from '../../components/ui';
import { formatDate } from '../../format';

const HOUSEHOLDS = /* GraphQL */ `
  query Households($filter: HouseholdFilter, $after: String) {
    districts {
      id
      name
    }
    households(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        category
        applicationDate
        size
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
`;

interface Row {
  id: string;
  status: string;
  category: string;
  applicationDate: string;
  size: number;
  district: { id: string; name: string };
  head: { id: string; name: string } | null;
}

const STATUSES = ['APPLICANT', 'UNDER_REVIEW', 'WAITLISTED', 'HOUSED', 'SUBSIDISED', 'EXITED'];
const CATEGORIES = ['LOCAL', 'MIGRANT', 'NEW_CITIZEN'];

export function HouseholdsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const filter = {
    ...(params.get('district') ? { districtId: params.get('district') } : {}),
    ...(params.get('status') ? { status: params.get('status') } : {}),
    ...(params.get('category') ? { category: params.get('category') } : {}),
  };
  const [result] = useQuery<{
    districts: { id: string; name: string }[];
    households: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Row[] };
  }>({
    query: HOUSEHOLDS,
    variables: { filter, after: pages.after },
  });
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    pages.reset();
  };
  const data = result.data;
  return (
    <>
      <header className="page-header">
        <h1>{t('households.title')}</h1>
        <Link className="button" to="/households/new">
          {t('households.register')}
        </Link>
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('households.district')}>
          <select value={params.get('district') ?? ''} onChange={(e) => setFilter('district', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {data?.districts.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('households.status')}>
          <select value={params.get('status') ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`common.householdStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('households.category')}>
          <select value={params.get('category') ?? ''} onChange={(e) => setFilter('category', e.target.value)}>
            <option value="">{t('common.all')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`common.householdCategory.${c}`)}
              </option>
            ))}
          </select>
        </Field>
      </form>
      <ApiError error={result.error} />
      {result.fetching && !data && <Loading />}
      {data && (
        <>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('households.head')}</th>
                <th scope="col">{t('households.district')}</th>
                <th scope="col">{t('households.status')}</th>
                <th scope="col">{t('households.category')}</th>
                <th scope="col">{t('households.size')}</th>
                <th scope="col">{t('households.applied')}</th>
              </tr>
            </thead>
            <tbody>
              {data.households.nodes.map((h) => (
                <tr key={h.id}>
                  <td>
                    <Link to={`/households/${h.id}`}>{h.head?.name ?? `#${h.id}`}</Link>
                  </td>
                  <td>{h.district.name}</td>
                  <td>{t(`common.householdStatus.${h.status}`)}</td>
                  <td>{t(`common.householdCategory.${h.category}`)}</td>
                  <td>{h.size}</td>
                  <td>{formatDate(h.applicationDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            totalCount={data.households.totalCount}
            page={pages.page}
            hasNextPage={data.households.pageInfo.hasNextPage}
            onNext={() => pages.next(data.households.pageInfo.endCursor)}
            onFirst={pages.reset}
          />
        </>
      )}
    </>
  );
}
