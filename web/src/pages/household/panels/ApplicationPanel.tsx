// KC-13 on the profile: the application's current stage and its deadline (working days), the step
// to the next stage, or a rejection with its reason; every step so far.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { ApiError, Badge, Field, Loading, Section } from '../../../components/ui';
import { formatDate } from '../../../format';
import { ActionDialog, fieldProblem } from '../../cases/ActionDialog';
import type { PanelProps } from './index';

const APPLICATION = /* GraphQL */ `
  query HouseholdApplication($id: ID!) {
    household(id: $id) {
      id
      application {
        id
        stage
        submittedOn
        stageEnteredOn
        stageDeadline
        overdue
        history {
          stage
          enteredOn
          deadline
          note
        }
      }
    }
  }
`;

const ADVANCE = /* GraphQL */ `
  mutation AdvanceApplication($input: AdvanceApplicationInput!) {
    advanceApplication(input: $input) {
      id
      stage
    }
  }
`;

interface Application {
  id: string;
  stage: string;
  submittedOn: string;
  stageEnteredOn: string;
  stageDeadline: string | null;
  overdue: boolean;
  history: { stage: string; enteredOn: string; deadline: string | null; note: string | null }[];
}

const NEXT: Record<string, string | undefined> = {
  SUBMITTED: 'PRELIMINARY_REVIEW',
  PRELIMINARY_REVIEW: 'PUBLIC_NOTICE',
  PUBLIC_NOTICE: 'COUNTY_REVIEW',
  COUNTY_REVIEW: 'APPROVED',
};

export function ApplicationPanel({ householdId, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery<{ household: { id: string; application: Application | null } | null }>({
    query: APPLICATION,
    variables: { id: householdId },
  });
  const [dialog, setDialog] = useState<'advance' | 'reject' | null>(null);
  const application = result.data?.household?.application;
  const next = application ? NEXT[application.stage] : undefined;
  const done = () => {
    setDialog(null);
    refetch({ requestPolicy: 'network-only' });
    onChanged();
  };
  return (
    <Section
      title={t('application.title')}
      actions={
        next && (
          <span className="row-actions">
            <button type="button" onClick={() => setDialog('advance')}>
              {t('application.advance', { stage: t(`application.stageLabel.${next}`) })}
            </button>
            <button type="button" className="danger" onClick={() => setDialog('reject')}>
              {t('application.reject')}
            </button>
          </span>
        )
      }
    >
      <ApiError error={result.error} />
      {result.fetching && !result.data && <Loading />}
      {result.data && !application && <p>{t('application.none')}</p>}
      {application && (
        <>
          <dl className="facts-grid">
            <div>
              <dt>{t('application.stage')}</dt>
              <dd>
                <strong>{t(`application.stageLabel.${application.stage}`)}</strong> {t('application.since', { date: formatDate(application.stageEnteredOn) })}
              </dd>
            </div>
            <div>
              <dt>{t('application.deadline')}</dt>
              <dd>
                {application.stageDeadline ? formatDate(application.stageDeadline) : t('application.noDeadline')}{' '}
                {application.overdue && <Badge tone="bad">{t('application.overdue')}</Badge>}
              </dd>
            </div>
          </dl>
          {!next && <p>{t('application.final')}</p>}
          <details>
            <summary>{t('application.history')}</summary>
            <ol>
              {application.history.map((h, i) => (
                <li key={i}>
                  {formatDate(h.enteredOn)} · {t(`application.stageLabel.${h.stage}`)}
                  {h.deadline && ` · ${t('application.deadline')} ${formatDate(h.deadline)}`}
                  {h.note && ` · ${h.note}`}
                </li>
              ))}
            </ol>
          </details>
          {dialog && <StepDialog application={application} decision={dialog} next={next} onClose={() => setDialog(null)} onDone={done} />}
        </>
      )}
    </Section>
  );
}

function StepDialog({
  application,
  decision,
  next,
  onClose,
  onDone,
}: {
  application: Application;
  decision: 'advance' | 'reject';
  next: string | undefined;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const [on, setOn] = useState('');
  const [note, setNote] = useState('');
  const [result, advance] = useMutation(ADVANCE);
  const reject = decision === 'reject';
  const submit = async () => {
    const done = await advance({
      input: { applicationId: application.id, decision: reject ? 'REJECT' : 'ADVANCE', on: on || null, note: note.trim() || null },
    });
    if (!done.error) onDone();
  };
  return (
    <ActionDialog
      open
      title={reject ? t('application.rejectTitle') : t('application.advanceTitle', { stage: t(`application.stageLabel.${next ?? ''}`) })}
      submitLabel={reject ? t('application.reject') : t('common.submit')}
      onSubmit={() => void submit()}
      onClose={onClose}
      error={result.error}
      busy={result.fetching}
      shownFields={['on', 'note']}
    >
      <Field label={t('application.on')} hint={t('application.onHint')} error={fieldProblem(result.error, 'on')}>
        <input type="date" value={on} onChange={(e) => setOn(e.target.value)} />
      </Field>
      <Field label={reject ? t('application.reason') : t('application.note')} error={fieldProblem(result.error, 'note')}>
        <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} required={reject} />
      </Field>
    </ActionDialog>
  );
}
