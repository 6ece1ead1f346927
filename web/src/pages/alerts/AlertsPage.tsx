// The alerts inbox: what change detection raised, newest first, filtered as the API filters; new
// alerts arrive live over the alertRaised subscription (counted until marked seen) and the list
// refreshes itself. A bureau person acknowledges, assigns, resolves with a note, or opens an exit case.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useUrlFilters } from '../../components/paging';
import { ApiError, Badge, districtOptions, Field, FilterSelect, labelled, Loading, Pager, type Tone } from '../../components/ui';
import { formatDateTime } from '../../format';
import { useCaller, useMay } from '../../session';
import { ActionDialog, EXIT_GROUNDS, fieldProblem, groundOfRule, useOwnDistricts } from '../cases/ActionDialog';

const ALERTS = /* GraphQL */ `
  query Alerts($filter: AlertFilter, $after: String) {
    districts {
      id
      name
    }
    alerts(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        householdId
        districtId
        rule
        article
        severity
        action
        period
        summary
        status
        raisedAt
        assignee
        exitCase {
          id
          status
        }
        history {
          status
          by
          note
          at
        }
      }
    }
  }
`;

const RAISED = /* GraphQL */ `
  subscription AlertRaised($districtId: ID) {
    alertRaised(districtId: $districtId) {
      id
      rule
      severity
      districtId
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation UpdateAlert($input: UpdateAlertInput!) {
    updateAlert(input: $input) {
      id
      status
    }
  }
`;

const ASSIGN = /* GraphQL */ `
  mutation AssignAlert($input: AssignAlertInput!) {
    assignAlert(input: $input) {
      id
      assignee
    }
  }
`;

const OPEN_CASE = /* GraphQL */ `
  mutation OpenExitCaseFromAlert($input: OpenExitCaseInput!) {
    openExitCase(input: $input) {
      id
      status
    }
  }
`;

export interface AlertRow {
  id: string;
  householdId: string;
  districtId: string;
  rule: string;
  article: string;
  severity: 'LOW' | 'MEDIUM' | 'HIGH';
  action: string;
  period: string;
  summary: string;
  status: 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED' | 'DISMISSED';
  raisedAt: string;
  assignee: string | null;
  exitCase: { id: string; status: string } | null;
  history: { status: string; by: string; note: string | null; at: string }[];
}

const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'DISMISSED'];
const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW'];
const RULES = [
  'RENT_ARREARS_EXIT',
  'RENT_ARREARS_WARNING',
  'VACANCY_EXIT',
  'VACANCY_WARNING',
  'MEMBER_DEATH',
  'QUALIFICATION_FLIPPED',
  'WAITING_OVER_YEAR',
  'ALLOWANCE_ENDED',
  'USE_ABOVE_HOUSEHOLD',
  'USE_SUDDEN_JUMP',
  'ANNUAL_REVIEW_DUE',
];
/** rules about households still waiting, not tenants: nothing to leave */
const NOT_TENANTS = ['WAITING_OVER_YEAR'];
const SEVERITY_TONE: Record<string, Tone> = { HIGH: 'bad', MEDIUM: 'warn', LOW: 'info' };
const STATUS_TONE: Record<string, Tone> = { OPEN: 'warn', ACKNOWLEDGED: 'info', RESOLVED: 'ok', DISMISSED: 'muted' };

type Dialog = { kind: 'assign' | 'resolve' | 'case'; alert: AlertRow } | null;

export function AlertsPage() {
  const { t } = useTranslation();
  const { value, bind, pages } = useUrlFilters();
  const may = useMay('ADMIN', 'MANAGER', 'CASEWORKER');
  const filter = {
    ...(value('status') ? { status: value('status') } : {}),
    ...(value('severity') ? { severity: value('severity') } : {}),
    ...(value('rule') ? { rule: value('rule') } : {}),
    ...(value('district') ? { districtId: value('district') } : {}),
  };
  const [result, refetch] = useQuery<{
    districts: { id: string; name: string }[];
    alerts: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: AlertRow[] };
  }>({ query: ALERTS, variables: { filter, after: pages.after } });

  // every alert raised since the inbox opened (newest first); those after `seen` are counted as new
  const [live] = useSubscription<{ alertRaised: { id: string } }, string[]>(
    { query: RAISED, variables: { districtId: value('district') || null } },
    (previous = [], data) => [data.alertRaised.id, ...previous],
  );
  const arrived = live.data ?? [];
  const [seen, setSeen] = useState(0);
  const fresh = arrived.slice(0, Math.max(0, arrived.length - seen));
  useEffect(() => {
    if (arrived.length) refetch({ requestPolicy: 'network-only' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arrived.length]);

  const [updated, update] = useMutation(UPDATE);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });

  const acknowledge = async (a: AlertRow) => {
    const done = await update({ input: { alertId: a.id, status: 'ACKNOWLEDGED' } });
    if (!done.error) {
      setNotice(t('alerts.done'));
      reload();
    }
  };
  const own = useOwnDistricts(result.data?.districts);
  const districtName = (id: string) => result.data?.districts.find((d) => d.id === id)?.name ?? id;
  const data = result.data;
  return (
    <>
      <header className="page-header">
        <h1>{t('alerts.title')}</h1>
        <span className="live" role="status" aria-live="polite">
          <Badge tone={fresh.length ? 'bad' : 'ok'}>{fresh.length ? t('alerts.newCount', { count: fresh.length }) : t('alerts.live')}</Badge>
          {fresh.length > 0 && (
            <button type="button" className="secondary" onClick={() => setSeen(arrived.length)}>
              {t('alerts.markSeen')}
            </button>
          )}
        </span>
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label={t('alerts.status')} {...bind('status')} options={labelled(STATUSES, (s) => t(`alerts.statusLabel.${s}`))} />
        <FilterSelect label={t('alerts.severity')} {...bind('severity')} options={labelled(SEVERITIES, (s) => t(`alerts.severityLabel.${s}`))} />
        <FilterSelect label={t('alerts.rule')} {...bind('rule')} options={labelled(RULES, (r) => t(`alerts.ruleLabel.${r}`))} />
        <FilterSelect label={t('alerts.district')} {...bind('district')} options={districtOptions(own)} />
      </form>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ApiError error={result.error} />
      <ApiError error={updated.error} />
      <ApiError error={live.error} />
      {result.fetching && !data && <Loading />}
      {data && (
        <>
          {data.alerts.nodes.length === 0 && <p>{t('alerts.noAlerts')}</p>}
          {data.alerts.nodes.length > 0 && (
            <div className="table-wrap">
              <table className="table alerts-table">
                <thead>
                  <tr>
                    <th scope="col">{t('alerts.raisedAt')}</th>
                    <th scope="col">{t('alerts.rule')}</th>
                    <th scope="col">{t('alerts.household')}</th>
                    <th scope="col">{t('alerts.summary')}</th>
                    <th scope="col">{t('alerts.status')}</th>
                    <th scope="col">{t('alerts.assignee')}</th>
                    {may && <th scope="col">{t('alerts.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {data.alerts.nodes.map((a) => (
                    <tr key={a.id} aria-label={`${t(`alerts.ruleLabel.${a.rule}`, { defaultValue: a.rule })} #${a.id}`}>
                      <td>
                        {formatDateTime(a.raisedAt)}
                        {fresh.includes(a.id) && (
                          <>
                            {' '}
                            <Badge tone="bad">{t('alerts.newBadge')}</Badge>
                          </>
                        )}
                      </td>
                      <td>
                        <Badge tone={SEVERITY_TONE[a.severity] ?? 'muted'}>{t(`alerts.severityLabel.${a.severity}`)}</Badge>{' '}
                        {t(`alerts.ruleLabel.${a.rule}`, { defaultValue: a.rule })}
                        <div className="field-hint">
                          {a.article} · {a.period}
                        </div>
                      </td>
                      <td>
                        {may ? (
                          <Link to={`/households/${a.householdId}`}>{t('alerts.householdLink', { id: a.householdId })}</Link>
                        ) : (
                          t('alerts.householdLink', { id: a.householdId })
                        )}
                        <div className="field-hint">{districtName(a.districtId)}</div>
                      </td>
                      <td>
                        {a.summary}
                        <div className="field-hint">{t(`alerts.actionLabel.${a.rule}`, { defaultValue: a.action })}</div>
                      </td>
                      <td>
                        <Badge tone={STATUS_TONE[a.status] ?? 'muted'}>{t(`alerts.statusLabel.${a.status}`)}</Badge>
                        {a.history.length > 1 && (
                          <details>
                            <summary>{t('alerts.history')}</summary>
                            <ol className="field-hint">
                              {a.history.map((e, i) => (
                                <li key={i}>
                                  {formatDateTime(e.at)} · {t(`alerts.statusLabel.${e.status}`)} · {e.by}
                                  {e.note && ` · ${e.note}`}
                                </li>
                              ))}
                            </ol>
                          </details>
                        )}
                        {a.exitCase && (
                          <div>
                            <Link to={`/households/${a.householdId}#exit-cases`}>{t('alerts.caseLink', { id: a.exitCase.id })}</Link>
                          </div>
                        )}
                      </td>
                      <td>{a.assignee ?? <span className="field-hint">{t('alerts.unassigned')}</span>}</td>
                      {may && (
                        <td>
                          <div className="row-actions">
                            {a.status === 'OPEN' && (
                              <button type="button" className="secondary" onClick={() => void acknowledge(a)} disabled={updated.fetching}>
                                {t('alerts.acknowledge')}
                              </button>
                            )}
                            {(a.status === 'OPEN' || a.status === 'ACKNOWLEDGED') && (
                              <>
                                <button type="button" className="secondary" onClick={() => setDialog({ kind: 'assign', alert: a })}>
                                  {t('alerts.assign')}
                                </button>
                                <button type="button" className="secondary" onClick={() => setDialog({ kind: 'resolve', alert: a })}>
                                  {t('alerts.resolve')}
                                </button>
                                {!a.exitCase && !NOT_TENANTS.includes(a.rule) && (
                                  <button type="button" className="secondary" onClick={() => setDialog({ kind: 'case', alert: a })}>
                                    {t('alerts.openCase')}
                                  </button>
                                )}
                              </>
                            )}
                          </div>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager
            totalCount={data.alerts.totalCount}
            page={pages.page}
            hasNextPage={data.alerts.pageInfo.hasNextPage}
            onNext={() => pages.next(data.alerts.pageInfo.endCursor)}
            onFirst={pages.reset}
          />
        </>
      )}
      {dialog?.kind === 'assign' && (
        <AssignDialog alert={dialog.alert} onClose={() => setDialog(null)} onDone={() => (setDialog(null), setNotice(t('alerts.done')), reload())} />
      )}
      {dialog?.kind === 'resolve' && (
        <ResolveDialog alert={dialog.alert} onClose={() => setDialog(null)} onDone={() => (setDialog(null), setNotice(t('alerts.done')), reload())} />
      )}
      {dialog?.kind === 'case' && (
        <OpenCaseDialog alert={dialog.alert} onClose={() => setDialog(null)} onDone={() => (setDialog(null), setNotice(t('alerts.done')), reload())} />
      )}
    </>
  );
}

interface DialogProps {
  alert: AlertRow;
  onClose(): void;
  onDone(): void;
}

function AssignDialog({ alert, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const me = useCaller();
  const [assignee, setAssignee] = useState(alert.assignee ?? '');
  const [note, setNote] = useState('');
  const [result, assign] = useMutation(ASSIGN);
  const submit = async () => {
    const done = await assign({ input: { alertId: alert.id, assignee: assignee.trim() || null, note: note.trim() || null } });
    if (!done.error) onDone();
  };
  return (
    <ActionDialog
      open
      title={t('alerts.assignTitle', { id: alert.id })}
      submitLabel={t('alerts.assign')}
      onSubmit={() => void submit()}
      onClose={onClose}
      error={result.error}
      busy={result.fetching}
      shownFields={['assignee', 'note']}
    >
      <Field label={t('alerts.assignTo')} error={fieldProblem(result.error, 'assignee')}>
        <input value={assignee} onChange={(e) => setAssignee(e.target.value)} />
      </Field>
      <button type="button" className="secondary" onClick={() => setAssignee(me.id)}>
        {t('alerts.assignToMe')}
      </button>
      <Field label={t('alerts.note')} error={fieldProblem(result.error, 'note')}>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
    </ActionDialog>
  );
}

function ResolveDialog({ alert, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [result, update] = useMutation(UPDATE);
  const submit = async () => {
    const done = await update({ input: { alertId: alert.id, status: 'RESOLVED', note: note.trim() || null } });
    if (!done.error) onDone();
  };
  return (
    <ActionDialog
      open
      title={t('alerts.resolveTitle', { id: alert.id })}
      submitLabel={t('alerts.resolve')}
      onSubmit={() => void submit()}
      onClose={onClose}
      error={result.error}
      busy={result.fetching}
      shownFields={['note']}
    >
      <Field label={t('alerts.resolveNote')} error={fieldProblem(result.error, 'note')}>
        <textarea rows={3} required value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
    </ActionDialog>
  );
}

function OpenCaseDialog({ alert, onClose, onDone }: DialogProps) {
  const { t } = useTranslation();
  const [ground, setGround] = useState(groundOfRule(alert.rule));
  const [summary, setSummary] = useState(alert.summary);
  const [result, open] = useMutation(OPEN_CASE);
  const submit = async () => {
    const done = await open({ input: { householdId: alert.householdId, alertId: alert.id, ground, summary } });
    if (!done.error) onDone();
  };
  return (
    <ActionDialog
      open
      title={t('alerts.openCaseTitle', { id: alert.id })}
      submitLabel={t('alerts.openCase')}
      onSubmit={() => void submit()}
      onClose={onClose}
      error={result.error}
      busy={result.fetching}
      shownFields={['ground', 'summary']}
    >
      <Field label={t('alerts.ground')} error={fieldProblem(result.error, 'ground')}>
        <select value={ground} onChange={(e) => setGround(e.target.value)}>
          {EXIT_GROUNDS.map((g) => (
            <option key={g} value={g}>
              {t(`cases.groundLabel.${g}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('alerts.caseSummary')} error={fieldProblem(result.error, 'summary')}>
        <textarea rows={3} required value={summary} onChange={(e) => setSummary(e.target.value)} />
      </Field>
    </ActionDialog>
  );
}
