// Guiyang's special difficulties of a household's members (waitlist points while recorded): the
// list with who recorded and removed each, a form to record one on its certificate, and removal
// with a reason. The API's complaint about a field shows next to it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { problemAt } from '../../../client';
import { ApiError, Badge, Field, Loading, Section, TableHead } from '../../../components/ui';
import { formatDateTime } from '../../../format';
import type { PanelProps } from './index';
import { ReasonDialog } from '../../../components/Dialog';

const DIFFICULTIES = /* GraphQL */ `
  query HouseholdDifficulties($id: ID!) {
    household(id: $id) {
      id
      members {
        id
        name
      }
      specialDifficulties(includeRemoved: true) {
        id
        kind
        certificateNo
        issuedBy
        person {
          id
          name
        }
        recordedBy
        recordedAt
        removedBy
        removedAt
        removalReason
        active
      }
    }
  }
`;

const RECORD = /* GraphQL */ `
  mutation RecordSpecialDifficulty($input: RecordSpecialDifficultyInput!) {
    recordSpecialDifficulty(input: $input) {
      id
      active
    }
  }
`;

const REMOVE = /* GraphQL */ `
  mutation RemoveSpecialDifficulty($input: RemoveSpecialDifficultyInput!) {
    removeSpecialDifficulty(input: $input) {
      id
      active
    }
  }
`;

export const DIFFICULTY_KINDS = ['MODEL_WORKER_OR_SPECIAL_CARE', 'LONELY_ELDERLY', 'DISABILITY_1', 'DISABILITY_2', 'DISABILITY_3'] as const;

interface Difficulty {
  id: string;
  kind: string;
  certificateNo: string;
  issuedBy: string;
  person: { id: string; name: string };
  recordedBy: string;
  recordedAt: string;
  removedBy: string | null;
  removedAt: string | null;
  removalReason: string | null;
  active: boolean;
}

interface Data {
  household: { id: string; members: { id: string; name: string }[]; specialDifficulties: Difficulty[] } | null;
}

const EMPTY = { personId: '', kind: '', certificateNo: '', issuedBy: '' };

export function DifficultyPanel({ householdId, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const [result, refetch] = useQuery<Data>({ query: DIFFICULTIES, variables: { id: householdId } });
  const [recorded, record] = useMutation(RECORD);
  const [removed, remove] = useMutation(REMOVE);
  const [form, setForm] = useState(EMPTY);
  const [removing, setRemoving] = useState<Difficulty | null>(null);
  const [notice, setNotice] = useState('');
  const changed = (message: string) => {
    setNotice(message);
    refetch({ requestPolicy: 'network-only' });
    onChanged();
  };
  const h = result.data?.household;
  const set = (key: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const kindLabel = (kind: string) => t(`difficulty.kinds.${kind}`, { defaultValue: kind });
  return (
    <Section title={t('difficulty.title')}>
      <ApiError error={result.error} />
      {result.fetching && !h && <Loading />}
      {h && (
        <>
          {h.specialDifficulties.length === 0 ? (
            <p>{t('difficulty.none')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <TableHead
                  columns={[
                    t('difficulty.member'),
                    t('difficulty.kind'),
                    t('difficulty.certificateNo'),
                    t('difficulty.issuedBy'),
                    t('difficulty.recorded'),
                    t('difficulty.status'),
                    t('difficulty.actions'),
                  ]}
                />
                <tbody>
                  {h.specialDifficulties.map((d) => (
                    <tr key={d.id}>
                      <td>{d.person.name}</td>
                      <td>{kindLabel(d.kind)}</td>
                      <td className="mono">{d.certificateNo}</td>
                      <td>{d.issuedBy}</td>
                      <td>{t('difficulty.recordedLine', { who: d.recordedBy, at: formatDateTime(d.recordedAt) })}</td>
                      <td>
                        {d.active ? (
                          <Badge tone="ok">{t('difficulty.active')}</Badge>
                        ) : (
                          <>
                            <Badge tone="muted">{t('difficulty.removed')}</Badge>{' '}
                            <small>{t('difficulty.removedLine', { who: d.removedBy, at: formatDateTime(d.removedAt), reason: d.removalReason })}</small>
                          </>
                        )}
                      </td>
                      <td>
                        {d.active && (
                          <button
                            type="button"
                            className="secondary"
                            aria-label={t('difficulty.removeOf', { name: d.person.name, kind: kindLabel(d.kind) })}
                            onClick={() => setRemoving(d)}
                          >
                            {t('difficulty.remove')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <form
            className="form"
            aria-label={t('difficulty.recordTitle')}
            onSubmit={(e) => {
              e.preventDefault();
              setNotice('');
              void record({ input: form }).then((r) => {
                if (r.error) return;
                setForm(EMPTY);
                changed(t('difficulty.recordedNotice'));
              });
            }}
          >
            <Field label={t('difficulty.member')} error={problemAt(recorded.error, 'personId') ?? problemAt(recorded.error, 'residentId')}>
              <select required value={form.personId} onChange={set('personId')}>
                <option value="">{t('difficulty.choose')}</option>
                {h.members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('difficulty.kind')} error={problemAt(recorded.error, 'kind')}>
              <select required value={form.kind} onChange={set('kind')}>
                <option value="">{t('difficulty.choose')}</option>
                {DIFFICULTY_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {kindLabel(k)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('difficulty.certificateNo')} error={problemAt(recorded.error, 'certificateNo')}>
              <input value={form.certificateNo} onChange={set('certificateNo')} />
            </Field>
            <Field label={t('difficulty.issuedBy')} error={problemAt(recorded.error, 'issuedBy')}>
              <input value={form.issuedBy} onChange={set('issuedBy')} />
            </Field>
            <button type="submit" disabled={recorded.fetching}>
              {t('difficulty.record')}
            </button>
          </form>
          <ApiError error={recorded.error} shownFields={['personId', 'residentId', 'kind', 'certificateNo', 'issuedBy']} />
        </>
      )}
      {removing && (
        <ReasonDialog
          title={t('difficulty.removeTitle')}
          summary={t('difficulty.removeOf', { name: removing.person.name, kind: kindLabel(removing.kind) })}
          label={t('difficulty.reason')}
          confirm={t('difficulty.confirmRemove')}
          error={removed.error}
          busy={removed.fetching}
          onClose={() => setRemoving(null)}
          onConfirm={(reason) =>
            void remove({ input: { id: removing.id, reason } }).then((r) => {
              if (r.error) return;
              setRemoving(null);
              changed(t('difficulty.removedNotice'));
            })
          }
        />
      )}
    </Section>
  );
}
