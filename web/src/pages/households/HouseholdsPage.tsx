// The caseworker's list: households of the caller's districts, searched (a whole resident ID, part of a
// name or address), filtered and paged as the API pages. The answers stay masked as the API masks them.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { problemAt } from '../../client';
import { useUrlFilters } from '../../components/paging';
import { ApiError, districtOptions, Field, FilterSelect, labelled, Loading, Pager } from '../../components/ui';
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
  const { value, setFilter, bind, pages } = useUrlFilters();
  const location = useLocation();
  // a name or address rides in the URL (shareable); a resident ID only in this history entry's state
  const query = value('q') || ((location.state as { q?: string } | null)?.q ?? '');
  const filter = {
    ...(value('district') ? { districtId: value('district') } : {}),
    ...(value('status') ? { status: value('status') } : {}),
    ...(value('category') ? { category: value('category') } : {}),
    ...(query ? { search: query } : {}),
    ...(value('alerts') ? { hasOpenAlerts: value('alerts') === 'open' } : {}),
  };
  const [search, setSearch] = useState(query);
  const [result] = useQuery<{
    districts: { id: string; name: string }[];
    households: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Row[] };
  }>({
    query: HOUSEHOLDS,
    variables: { filter, after: pages.after },
  });
  const setSearchFilter = (text: string) => (RESIDENT_ID.test(text) ? setFilter('q', '', { q: text }) : setFilter('q', text, null));
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
        <FilterSelect label={t('households.district')} {...bind('district')} options={districtOptions(data?.districts)} />
        <FilterSelect label={t('households.status')} {...bind('status')} options={labelled(STATUSES, (s) => t(`common.householdStatus.${s}`))} />
        <FilterSelect label={t('households.category')} {...bind('category')} options={labelled(CATEGORIES, (c) => t(`common.householdCategory.${c}`))} />
        <FilterSelect
          label={t('households.alerts')}
          {...bind('alerts')}
          options={[
            { value: 'open', label: t('households.withOpenAlerts') },
            { value: 'none', label: t('households.withoutOpenAlerts') },
          ]}
        />
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
