// The caseworker's list: households of the caller's districts, searched (a whole resident ID, part of a
// name or address), filtered and paged as the API pages. The answers stay masked as the API masks them.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { problemAt } from '../../client';
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
          residentId
        }
        unit {
          id
          address
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
  head: { id: string; name: string; residentId: string } | null;
  unit: { id: string; address: string } | null;
}

/** a whole resident ID: searched, never written into the address bar (browser history keeps URLs) */
const RESIDENT_ID = /^\d{17}[\dXx]$/;

const STATUSES = ['APPLICANT', 'UNDER_REVIEW', 'WAITLISTED', 'HOUSED', 'SUBSIDISED', 'EXITED'];
const CATEGORIES = ['LOCAL', 'MIGRANT', 'NEW_CITIZEN'];

export function HouseholdsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  // a name or address rides in the URL (shareable); a resident ID only in this history entry's state
  const query = params.get('q') ?? (location.state as { q?: string } | null)?.q ?? '';
  const pages = useCursorPages();
  const filter = {
    ...(params.get('district') ? { districtId: params.get('district') } : {}),
    ...(params.get('status') ? { status: params.get('status') } : {}),
    ...(params.get('category') ? { category: params.get('category') } : {}),
    ...(query ? { search: query } : {}),
    ...(params.get('alerts') ? { hasOpenAlerts: params.get('alerts') === 'open' } : {}),
  };
  const [search, setSearch] = useState(query);
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
    setParams(next, { state: key === 'q' ? null : location.state });
    pages.reset();
  };
  const setSearchFilter = (value: string) => {
    if (!RESIDENT_ID.test(value)) return setFilter('q', value);
    const next = new URLSearchParams(params);
    next.delete('q');
    setParams(next, { state: { q: value } });
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
      <form
        className="filters"
        role="search"
        aria-label={t('households.searchForm')}
        onSubmit={(e) => {
          e.preventDefault();
          setSearchFilter(search.trim());
        }}
      >
        <Field label={t('households.search')} hint={t('households.searchHint')} error={problemAt(result.error, 'search')}>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} size={28} maxLength={100} />
        </Field>
        <button type="submit">{t('common.search')}</button>
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
        <Field label={t('households.alerts')}>
          <select value={params.get('alerts') ?? ''} onChange={(e) => setFilter('alerts', e.target.value)}>
            <option value="">{t('common.all')}</option>
            <option value="open">{t('households.withOpenAlerts')}</option>
            <option value="none">{t('households.withoutOpenAlerts')}</option>
          </select>
        </Field>
      </form>
      <ApiError error={result.error} shownFields={['search']} />
      {result.fetching && !data && <Loading />}
      {data && (
        <>
          {data.households.nodes.length === 0 && <p role="status">{t('households.noMatch')}</p>}
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('households.head')}</th>
                  <th scope="col">{t('households.district')}</th>
                  <th scope="col">{t('households.number')}</th>
                  <th scope="col">{t('households.residentId')}</th>
                  <th scope="col">{t('households.address')}</th>
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
                    <td className="num">{h.id}</td>
                    <td className="mono">{h.head?.residentId ?? '—'}</td>
                    <td>{h.unit?.address ?? '—'}</td>
                    <td>{t(`common.householdStatus.${h.status}`)}</td>
                    <td>{t(`common.householdCategory.${h.category}`)}</td>
                    <td>{h.size}</td>
                    <td>{formatDate(h.applicationDate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
