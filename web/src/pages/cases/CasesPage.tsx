// Exit cases of the caller's districts, newest first, filtered as the API filters; each case is
// worked on its household's profile (ExitCasePanel).
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { useUrlFilters } from '../../components/paging';
import { ApiError, Badge, districtOptions, FilterSelect, labelled, Loading, Pager } from '../../components/ui';
import { formatDate } from '../../format';
import { CASE_TONE } from '../household/panels/ExitCasePanel';
import { EXIT_GROUNDS, useOwnDistricts } from './ActionDialog';

const CASES = /* GraphQL */ `
  query ExitCases($filter: ExitCaseFilter, $after: String) {
    districts {
      id
      name
    }
    exitCases(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        householdId
        districtId
        status
        ground
        summary
        openedOn
        vacateBy
        pastVacateBy
      }
    }
  }
`;

interface Row {
  id: string;
  householdId: string;
  districtId: string;
  status: string;
  ground: string;
  summary: string;
  openedOn: string;
  vacateBy: string | null;
  pastVacateBy: boolean;
}

const STATUSES = ['OPEN', 'NOTICE_SERVED', 'APPEALED', 'COMPLETED', 'WITHDRAWN'];

export function CasesPage() {
  const { t } = useTranslation();
  const { value, setFilter, bind, pages } = useUrlFilters();
  const filter = {
    ...(value('district') ? { districtId: value('district') } : {}),
    ...(value('status') ? { status: value('status') } : {}),
    ...(value('ground') ? { ground: value('ground') } : {}),
    ...(value('past') ? { pastVacateBy: true } : {}),
  };
  const [result] = useQuery<{
    districts: { id: string; name: string }[];
    exitCases: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Row[] };
  }>({ query: CASES, variables: { filter, after: pages.after } });
  const data = result.data;
  const own = useOwnDistricts(data?.districts);
  const districtName = (id: string) => data?.districts.find((d) => d.id === id)?.name ?? id;
  return (
    <>
      <header className="page-header">
        <h1>{t('cases.title')}</h1>
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label={t('cases.district')} {...bind('district')} options={districtOptions(own)} />
        <FilterSelect label={t('cases.status')} {...bind('status')} options={labelled(STATUSES, (s) => t(`cases.statusLabel.${s}`))} />
        <FilterSelect label={t('cases.ground')} {...bind('ground')} options={labelled(EXIT_GROUNDS, (g) => t(`cases.groundLabel.${g}`))} />
        <label className="check">
          <input type="checkbox" checked={!!value('past')} onChange={(e) => setFilter('past', e.target.checked ? '1' : '')} /> {t('cases.pastVacateBy')}
        </label>
      </form>
      <ApiError error={result.error} />
      {result.fetching && !data && <Loading />}
      {data && (
        <>
          {data.exitCases.nodes.length === 0 ? (
            <p>{t('cases.noCases')}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('cases.household')}</th>
                  <th scope="col">{t('cases.district')}</th>
                  <th scope="col">{t('cases.ground')}</th>
                  <th scope="col">{t('cases.status')}</th>
                  <th scope="col">{t('cases.openedOn')}</th>
                  <th scope="col">{t('cases.vacateBy')}</th>
                </tr>
              </thead>
              <tbody>
                {data.exitCases.nodes.map((c) => (
                  <tr key={c.id}>
                    <td>{c.id}</td>
                    <td>
                      <Link to={`/households/${c.householdId}#exit-cases`}>{t('alerts.householdLink', { id: c.householdId })}</Link>
                    </td>
                    <td>{districtName(c.districtId)}</td>
                    <td>
                      {t(`cases.groundLabel.${c.ground}`)}
                      <div className="field-hint">{c.summary}</div>
                    </td>
                    <td>
                      <Badge tone={CASE_TONE[c.status] ?? 'muted'}>{t(`cases.statusLabel.${c.status}`)}</Badge>{' '}
                      {c.pastVacateBy && <Badge tone="bad">{t('cases.pastVacateBy')}</Badge>}
                    </td>
                    <td>{formatDate(c.openedOn)}</td>
                    <td>{formatDate(c.vacateBy)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager
            totalCount={data.exitCases.totalCount}
            page={pages.page}
            hasNextPage={data.exitCases.pageInfo.hasNextPage}
            onNext={() => pages.next(data.exitCases.pageInfo.endCursor)}
            onFirst={pages.reset}
          />
        </>
      )}
    </>
  );
}
