// The districts: list for everyone who may open the screen; create and edit for an ADMIN.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { ApiError, Field, FormActions, Loading, Section, TableHead } from '../../components/ui';
import { problemAt } from '../../client';
import { useMay } from '../../session';
import { Dialog } from '../../components/Dialog';

export const DISTRICTS = /* GraphQL */ `
  query Districts {
    districts {
      id
      name
      jurisdiction
      policy {
        id
        name
      }
    }
    policies {
      id
      name
    }
  }
`;

export interface DistrictRow {
  id: string;
  name: string;
  jurisdiction: string;
  policy: { id: string; name: string };
}

const CREATE = /* GraphQL */ `
  mutation CreateDistrict($input: CreateDistrictInput!) {
    createDistrict(input: $input) {
      id
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation UpdateDistrict($input: UpdateDistrictInput!) {
    updateDistrict(input: $input) {
      id
    }
  }
`;

const FIELDS = ['id', 'name', 'jurisdiction', 'policyId'];

export function DistrictsSection() {
  const { t } = useTranslation();
  const isAdmin = useMay('ADMIN');
  const [result, reload] = useQuery<{ districts: DistrictRow[]; policies: { id: string; name: string }[] }>({ query: DISTRICTS });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<DistrictRow | null>(null);
  const refetch = () => reload({ requestPolicy: 'network-only' });
  const data = result.data;
  return (
    <Section
      title={t('districts.districts')}
      actions={
        isAdmin && (
          <button type="button" onClick={() => setCreating(true)}>
            {t('districts.newDistrict')}
          </button>
        )
      }
    >
      <ApiError error={result.error} />
      {result.fetching && !data && <Loading />}
      {data && data.districts.length === 0 && <p>{t('districts.noDistricts')}</p>}
      {data && data.districts.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label={t('districts.districts')}>
            <TableHead
              columns={[t('districts.id'), t('districts.name'), t('districts.jurisdiction'), t('districts.policy'), isAdmin && t('districts.actions')]}
            />
            <tbody>
              {data.districts.map((d) => (
                <tr key={d.id}>
                  <td className="mono">{d.id}</td>
                  <td>{d.name}</td>
                  <td>{d.jurisdiction}</td>
                  <td>
                    {d.policy.id} · {d.policy.name}
                  </td>
                  {isAdmin && (
                    <td>
                      <button type="button" className="secondary" onClick={() => setEditing(d)} aria-label={t('districts.editDistrict', { id: d.id })}>
                        {t('districts.edit')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={creating} title={t('districts.newDistrict')} onClose={() => setCreating(false)}>
        <DistrictForm
          policies={data?.policies ?? []}
          onDone={() => {
            setCreating(false);
            refetch();
          }}
          onCancel={() => setCreating(false)}
        />
      </Dialog>
      <Dialog open={!!editing} title={t('districts.editDistrict', { id: editing?.id ?? '' })} onClose={() => setEditing(null)}>
        {editing && (
          <DistrictForm
            district={editing}
            policies={data?.policies ?? []}
            onDone={() => {
              setEditing(null);
              refetch();
            }}
            onCancel={() => setEditing(null)}
          />
        )}
      </Dialog>
    </Section>
  );
}

function DistrictForm({
  district,
  policies,
  onDone,
  onCancel,
}: {
  district?: DistrictRow;
  policies: { id: string; name: string }[];
  onDone(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const [id, setId] = useState(district?.id ?? '');
  const [name, setName] = useState(district?.name ?? '');
  const [jurisdiction, setJurisdiction] = useState(district?.jurisdiction ?? '');
  const [policyId, setPolicyId] = useState(district?.policy.id ?? policies[0]?.id ?? '');
  const [created, create] = useMutation(CREATE);
  const [updated, update] = useMutation(UPDATE);
  const result = district ? updated : created;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { id, name, jurisdiction, policyId };
    const answer = district ? await update({ input }) : await create({ input });
    if (!answer.error) onDone();
  }

  return (
    <form className="form stacked" onSubmit={submit}>
      <Field label={t('districts.id')} error={problemAt(result.error, 'id')} hint={t('districts.idHint')}>
        <input value={id} onChange={(e) => setId(e.target.value)} readOnly={!!district} required />
      </Field>
      <Field label={t('districts.name')} error={problemAt(result.error, 'name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <Field label={t('districts.jurisdiction')} error={problemAt(result.error, 'jurisdiction')}>
        <input value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value)} required />
      </Field>
      <Field label={t('districts.policy')} error={problemAt(result.error, 'policyId')}>
        <select value={policyId} onChange={(e) => setPolicyId(e.target.value)}>
          {policies.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id} · {p.name}
            </option>
          ))}
        </select>
      </Field>
      <ApiError error={result.error} shownFields={FIELDS} />
      <FormActions submit={t('common.save')} busy={result.fetching} onCancel={onCancel} />
    </form>
  );
}
