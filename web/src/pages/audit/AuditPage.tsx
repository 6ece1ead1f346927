// The audit log (KC-35), the auditor's view: who read whose data, when and for what purpose, and
// every change made; filtered by actor, action, household, subject and dates, paged as the API pages.
// The filters live in the address, so a filtered view can be bookmarked or sent on.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { problemAt } from '../../client';
import { useCursorPages } from '../../components/paging';
import { ApiError, Badge, Field, Loading, Pager, TableHead } from '../../components/ui';
import { formatDateTime } from '../../format';
import { auditFilterOf, FILTERS, type FilterKey } from './filter';

const AUDIT = /* GraphQL */ `
  query AuditLog($filter: AuditFilter, $after: String) {
    auditLog(filter: $filter, first: 25, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        at
        requestId
        actor
        role
        action
        householdId
        subject
        agencies
        purpose
        detail
      }
    }
  }
`;

interface Entry {
  id: string;
  at: string;
  requestId: string;
  actor: string;
  role: string;
  action: string;
  householdId: string | null;
  subject: string | null;
  agencies: string[] | null;
  purpose: string | null;
  detail: unknown;
}

export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const [draft, setDraft] = useState<Record<FilterKey, string>>(
    () => Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Record<FilterKey, string>,
  );
  const filter = auditFilterOf(params);
  const [result] = useQuery<{
    auditLog: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Entry[] };
  }>({ query: AUDIT, variables: { filter, after: pages.after } });
  const apply = (next: Record<FilterKey, string>) => {
    const search = new URLSearchParams();
    for (const key of FILTERS) if (next[key].trim()) search.set(key, next[key].trim());
    setDraft(next);
    setParams(search);
    pages.reset();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const set = (key: FilterKey) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }));
  const actionLabel = (action: string) => t(`audit.actions.${action}`, { defaultValue: action });
  const data = result.data?.auditLog;
  return (
    <>
      <header className="page-header">
        <h1>{t('audit.title')}</h1>
      </header>
      <p>{t('audit.intro')}</p>
      <form className="filters" role="search" aria-label={t('audit.title')} onSubmit={onSubmit}>
        <Field label={t('audit.actor')} error={problemAt(result.error, 'actor')}>
          <input value={draft.actor} onChange={set('actor')} />
        </Field>
        <Field label={t('audit.action')} error={problemAt(result.error, 'action')}>
          <input value={draft.action} onChange={set('action')} list="audit-actions" />
        </Field>
        <datalist id="audit-actions">
          <option value="READ">{actionLabel('READ')}</option>
          <option value="IDENTITY">{actionLabel('IDENTITY')}</option>
          <option value="VIEW">{actionLabel('VIEW')}</option>
        </datalist>
        <Field label={t('audit.household')} error={problemAt(result.error, 'householdId')}>
          <input value={draft.householdId} onChange={set('householdId')} inputMode="numeric" size={8} />
        </Field>
        <Field label={t('audit.subject')} error={problemAt(result.error, 'subject')}>
          <input value={draft.subject} onChange={set('subject')} />
        </Field>
        <Field label={t('audit.from')} error={problemAt(result.error, 'from')}>
          <input type="date" value={draft.from} onChange={set('from')} />
        </Field>
        <Field label={t('audit.to')} error={problemAt(result.error, 'to')}>
          <input type="date" value={draft.to} onChange={set('to')} />
        </Field>
        <button type="submit">{t('audit.apply')}</button>
        <button type="button" className="secondary" onClick={() => apply(Object.fromEntries(FILTERS.map((k) => [k, ''])) as Record<FilterKey, string>)}>
          {t('common.clear')}
        </button>
      </form>
      <ApiError error={result.error} shownFields={[...FILTERS]} />
      {result.fetching && !data && <Loading />}
      {data && data.nodes.length === 0 && <p>{t('audit.noEntries')}</p>}
      {data && data.nodes.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table audit-log">
              <TableHead
                columns={[
                  t('audit.at'),
                  t('audit.actor'),
                  t('audit.action'),
                  t('audit.household'),
                  t('audit.subject'),
                  t('audit.agencies'),
                  t('audit.purpose'),
                  t('audit.detail'),
                ]}
              />
              <tbody>
                {data.nodes.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{formatDateTime(e.at)}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        title={t('audit.onlyActor', { actor: e.actor })}
                        onClick={() => apply({ ...draft, actor: e.actor })}
                      >
                        {e.actor}
                      </button>
                      <br />
                      <small>{t(`common.role.${e.role}`, { defaultValue: e.role })}</small>
                    </td>
                    <td>
                      <Badge tone={e.action === 'IDENTITY' ? 'warn' : e.action === 'READ' || e.action === 'VIEW' ? 'info' : 'muted'}>
                        {actionLabel(e.action)}
                      </Badge>
                    </td>
                    <td>
                      {e.householdId && (
                        <button
                          type="button"
                          className="link"
                          aria-label={t('audit.onlyHousehold', { id: e.householdId })}
                          onClick={() => apply({ ...draft, householdId: e.householdId! })}
                        >
                          #{e.householdId}
                        </button>
                      )}
                    </td>
                    <td className="mono">{e.subject}</td>
                    <td>{e.agencies?.join('、')}</td>
                    <td>{e.purpose}</td>
                    <td>
                      {e.detail !== null && e.detail !== undefined && (
                        <details>
                          <summary>{t('audit.showDetail')}</summary>
                          <pre className="mono">{JSON.stringify(e.detail, null, 2)}</pre>
                        </details>
                      )}
                      <small className="mono" title={`${t('audit.requestId')} ${e.requestId}`}>
                        {e.requestId.slice(0, 8)}
                      </small>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            totalCount={data.totalCount}
            page={pages.page}
            hasNextPage={data.pageInfo.hasNextPage}
            onNext={() => pages.next(data.pageInfo.endCursor)}
            onFirst={pages.reset}
          />
        </>
      )}
    </>
  );
}
