// KC-19/KC-20 on the profile: the household's exit cases and the next steps of the running one —
// serve the notice, record and decide an appeal, withdraw, or inspect the unit and complete the exit
// (the tenancy ends, the unit is free to offer again, what is owed stays owed).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { ApiError, Badge, Field, Loading, Section, type Tone } from '../../../components/ui';
import { formatDate, formatMoney } from '../../../format';
import { ActionDialog, EXIT_GROUNDS, fieldProblem, today } from '../../cases/ActionDialog';
import type { PanelProps } from './index';

const CASES = /* GraphQL */ `
  query HouseholdExitCases($id: ID!) {
    household(id: $id) {
      id
      status
      tenancy {
        id
        unit {
          id
          address
        }
      }
      exitCases {
        id
        status
        ground
        summary
        openedOn
        noticeServedOn
        vacateBy
        pastVacateBy
        appealLodgedOn
        appealOutcome
        closedOn
        arrearsAtExit
        alert {
          id
        }
        history {
          action
          status
          on
          note
          by
        }
      }
    }
  }
`;

const CASE_FIELDS = 'id status';
const MUTATIONS = {
  open: `mutation OpenExitCase($input: OpenExitCaseInput!) { openExitCase(input: $input) { ${CASE_FIELDS} } }`,
  serve: `mutation ServeExitNotice($input: ServeExitNoticeInput!) { serveExitNotice(input: $input) { ${CASE_FIELDS} } }`,
  appeal: `mutation RecordExitAppeal($input: RecordExitAppealInput!) { recordExitAppeal(input: $input) { ${CASE_FIELDS} } }`,
  decide: `mutation DecideExitAppeal($input: DecideExitAppealInput!) { decideExitAppeal(input: $input) { ${CASE_FIELDS} } }`,
  withdraw: `mutation WithdrawExitCase($input: WithdrawExitCaseInput!) { withdrawExitCase(input: $input) { ${CASE_FIELDS} } }`,
  complete: `mutation CompleteExit($input: CompleteExitInput!) { completeExit(input: $input) { ${CASE_FIELDS} } }`,
};

const INSPECT = /* GraphQL */ `
  mutation RecordExitInspection($input: RecordInspectionInput!) {
    recordInspection(input: $input) {
      id
    }
  }
`;

interface ExitCase {
  id: string;
  status: string;
  ground: string;
  summary: string;
  openedOn: string;
  noticeServedOn: string | null;
  vacateBy: string | null;
  pastVacateBy: boolean;
  appealLodgedOn: string | null;
  appealOutcome: string | null;
  closedOn: string | null;
  arrearsAtExit: number | null;
  alert: { id: string } | null;
  history: { action: string; status: string; on: string; note: string | null; by: string }[];
}

interface Household {
  id: string;
  status: string;
  tenancy: { id: string; unit: { id: string; address: string } } | null;
  exitCases: ExitCase[];
}

type Step = keyof typeof MUTATIONS;
const RUNNING = ['OPEN', 'NOTICE_SERVED', 'APPEALED'];
export const CASE_TONE: Record<string, Tone> = { OPEN: 'warn', NOTICE_SERVED: 'bad', APPEALED: 'info', COMPLETED: 'muted', WITHDRAWN: 'ok' };

export function ExitCasePanel({ householdId, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery<{ household: Household | null }>({ query: CASES, variables: { id: householdId } });
  const [step, setStep] = useState<Step | null>(null);
  const h = result.data?.household;
  const running = h?.exitCases.find((c) => RUNNING.includes(c.status));
  const done = () => {
    setStep(null);
    refetch({ requestPolicy: 'network-only' });
    onChanged();
  };
  const steps: Step[] = !running
    ? h?.tenancy
      ? ['open']
      : []
    : running.status === 'OPEN'
      ? ['serve', 'withdraw']
      : running.status === 'NOTICE_SERVED'
        ? [...(running.appealOutcome ? [] : (['appeal'] as Step[])), 'complete', 'withdraw']
        : ['decide', 'withdraw'];
  // a household never housed has nothing to leave: no panel
  if (h && !h.tenancy && h.exitCases.length === 0) return null;
  return (
    <div id="exit-cases">
      <Section
        title={t('cases.panelTitle')}
        actions={
          <span className="row-actions">
            {steps.map((s) => (
              <button key={s} type="button" className={s === 'withdraw' ? 'secondary' : s === 'open' ? 'danger' : ''} onClick={() => setStep(s)}>
                {t(`cases.${s}`)}
              </button>
            ))}
          </span>
        }
      >
        <ApiError error={result.error} />
        {result.fetching && !result.data && <Loading />}
        {h && !running && <p>{t('cases.noneRunning')}</p>}
        {h?.exitCases.map((c) => (
          <article key={c.id} className="exit-case" aria-label={t('cases.caseTitle', { id: c.id })}>
            <h3>
              {t('cases.caseTitle', { id: c.id })} <Badge tone={CASE_TONE[c.status] ?? 'muted'}>{t(`cases.statusLabel.${c.status}`)}</Badge>{' '}
              {c.pastVacateBy && <Badge tone="bad">{t('cases.pastVacateBy')}</Badge>}
            </h3>
            <p>
              {t(`cases.groundLabel.${c.ground}`)} · {t('cases.openedOn')} {formatDate(c.openedOn)}
              {c.vacateBy && ` · ${t('cases.vacateBy')} ${formatDate(c.vacateBy)}`}
              {c.alert && ` · ${t('cases.alertLink', { id: c.alert.id })}`}
              {c.arrearsAtExit !== null && ` · ${t('cases.arrearsAtExit', { amount: formatMoney(c.arrearsAtExit) })}`}
            </p>
            <p className="field-hint">{c.summary}</p>
            <details>
              <summary>{t('cases.history')}</summary>
              <ol>
                {c.history.map((e, i) => (
                  <li key={i}>
                    {formatDate(e.on)} · {t(`cases.actionLabel.${e.action}`, { defaultValue: e.action })} · {e.by}
                    {e.note && ` · ${e.note}`}
                  </li>
                ))}
              </ol>
            </details>
          </article>
        ))}
        {h && step && <StepDialog step={step} household={h} exitCase={running} onClose={() => setStep(null)} onDone={done} />}
      </Section>
    </div>
  );
}

function StepDialog({
  step,
  household,
  exitCase,
  onClose,
  onDone,
}: {
  step: Step;
  household: Household;
  exitCase: ExitCase | undefined;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const [on, setOn] = useState(today());
  const [text, setText] = useState('');
  const [ground, setGround] = useState('NOT_LIVING_IN_UNIT');
  const [vacateBy, setVacateBy] = useState('');
  const [upheld, setUpheld] = useState(false);
  const [inspectedOn, setInspectedOn] = useState(today());
  const [staff, setStaff] = useState('');
  const [outcome, setOutcome] = useState('NO_ISSUES');
  const [inspectionId, setInspectionId] = useState<string | null>(null);
  const [result, run] = useMutation(MUTATIONS[step]);
  const [inspected, inspect] = useMutation<{ recordInspection: { id: string } }>(INSPECT);
  const caseId = exitCase?.id;
  const submit = async () => {
    let input: Record<string, unknown>;
    switch (step) {
      case 'open':
        input = { householdId: household.id, ground, summary: text, openedOn: on || null };
        break;
      case 'serve':
        input = { caseId, servedOn: on, vacateBy: vacateBy || null, note: text || null };
        break;
      case 'appeal':
        input = { caseId, lodgedOn: on, note: text };
        break;
      case 'decide':
        input = { caseId, upheld, on, note: text, vacateBy: !upheld && vacateBy ? vacateBy : null };
        break;
      case 'withdraw':
        input = { caseId, on, reason: text };
        break;
      case 'complete': {
        // KC-20: the unit is inspected for exit first (kept if the completion is refused and tried again)
        let inspection = inspectionId;
        if (!inspection) {
          const visit = await inspect({
            input: {
              unitId: household.tenancy?.unit.id,
              purpose: 'EXIT',
              visitedOn: inspectedOn,
              staff: staff
                .split(/[,，]/)
                .map((s) => s.trim())
                .filter(Boolean),
              outcome,
              findings: text,
              exitCaseId: caseId,
            },
          });
          if (!visit.data) return;
          inspection = visit.data.recordInspection.id;
          setInspectionId(inspection);
        }
        input = { caseId, on, inspectionId: inspection };
        break;
      }
    }
    const done = await run({ input });
    if (!done.error) onDone();
  };
  const error = inspected.error ?? result.error;
  const at = (field: string) => fieldProblem(error, field);
  const dateField = { open: 'openedOn', serve: 'servedOn', appeal: 'lodgedOn', decide: 'on', withdraw: 'on', complete: 'on' }[step];
  const textLabel = {
    open: t('cases.summary'),
    serve: t('cases.note'),
    appeal: t('cases.note'),
    decide: t('cases.note'),
    withdraw: t('cases.reason'),
    complete: t('cases.findings'),
  }[step];
  const textField = { open: 'summary', serve: 'note', appeal: 'note', decide: 'note', withdraw: 'reason', complete: 'findings' }[step];
  const dateLabel = {
    open: t('cases.openedOn'),
    serve: t('cases.servedOn'),
    appeal: t('cases.lodgedOn'),
    decide: t('cases.on'),
    withdraw: t('cases.on'),
    complete: t('cases.leftOn'),
  }[step];
  return (
    <ActionDialog
      open
      title={t(`cases.${step}Title`)}
      submitLabel={t(`cases.${step}`)}
      onSubmit={() => void submit()}
      onClose={onClose}
      error={error}
      busy={result.fetching || inspected.fetching}
      shownFields={[dateField, textField, 'vacateBy', 'ground', 'staff', 'visitedOn', 'inspectionId']}
    >
      {step === 'open' && (
        <Field label={t('cases.ground')} error={at('ground')}>
          <select value={ground} onChange={(e) => setGround(e.target.value)}>
            {EXIT_GROUNDS.map((g) => (
              <option key={g} value={g}>
                {t(`cases.groundLabel.${g}`)}
              </option>
            ))}
          </select>
        </Field>
      )}
      {step === 'decide' && (
        <fieldset>
          <legend>{t('cases.outcome')}</legend>
          <label>
            <input type="radio" name="upheld" checked={!upheld} onChange={() => setUpheld(false)} /> {t('cases.dismissed')}
          </label>
          <label>
            <input type="radio" name="upheld" checked={upheld} onChange={() => setUpheld(true)} /> {t('cases.upheld')}
          </label>
        </fieldset>
      )}
      {step === 'complete' && !inspectionId && (
        <>
          <Field label={t('cases.inspectedOn')} error={at('visitedOn')}>
            <input type="date" value={inspectedOn} onChange={(e) => setInspectedOn(e.target.value)} required />
          </Field>
          <Field label={t('cases.staff')} error={at('staff')}>
            <input value={staff} onChange={(e) => setStaff(e.target.value)} required />
          </Field>
          <Field label={t('cases.outcomeLabel')}>
            <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
              <option value="NO_ISSUES">{t('cases.inspectionOutcome.NO_ISSUES')}</option>
              <option value="ISSUES_FOUND">{t('cases.inspectionOutcome.ISSUES_FOUND')}</option>
            </select>
          </Field>
        </>
      )}
      <Field label={dateLabel} error={at(dateField) ?? (step === 'complete' ? at('inspectionId') : undefined)}>
        <input type="date" value={on} onChange={(e) => setOn(e.target.value)} required />
      </Field>
      {(step === 'serve' || (step === 'decide' && !upheld)) && (
        <Field label={t('cases.vacateBy')} hint={t('cases.vacateByHint')} error={at('vacateBy')}>
          <input type="date" value={vacateBy} onChange={(e) => setVacateBy(e.target.value)} />
        </Field>
      )}
      {!(step === 'complete' && inspectionId) && (
        <Field label={textLabel} error={at(textField)}>
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} required={step !== 'serve'} />
        </Field>
      )}
    </ActionDialog>
  );
}
