// The housing stock: filtered and paged as the API pages; register, edit, withdraw (with a reason) and
// return units (ADMIN, MANAGER). OFFERED and OCCUPIED follow from offers and tenancies only.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { problemAt } from '../../client';
import { useCursorPages } from '../../components/paging';
import { ApiError, Badge, DistrictOptions, Field, FormActions, Loading, Pager, Section, TableHead, type Tone } from '../../components/ui';
import { formatArea, formatDate } from '../../format';
import { useMay } from '../../session';
import { Dialog } from '../../components/Dialog';

const UNITS = /* GraphQL */ `
  query Units($filter: HousingUnitFilter, $after: String) {
    districts {
      id
      name
    }
    housingUnits(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        address
        district {
          id
          name
        }
        floorArea
        rooms
        kind
        status
        statusReason
        currentOffer {
          id
          acceptBy
          household {
            id
            head {
              id
              name
            }
          }
        }
      }
    }
  }
`;

export interface UnitRow {
  id: string;
  address: string;
  district: { id: string; name: string };
  floorArea: number;
  rooms: number;
  kind: 'PUBLIC_RENTAL' | 'LOW_RENT';
  status: 'FREE' | 'OFFERED' | 'OCCUPIED' | 'UNAVAILABLE';
  statusReason: string | null;
  currentOffer: { id: string; acceptBy: string; household: { id: string; head: { id: string; name: string } | null } } | null;
}

const CREATE = /* GraphQL */ `
  mutation CreateUnit($input: CreateHousingUnitInput!) {
    createHousingUnit(input: $input) {
      id
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation UpdateUnit($input: UpdateHousingUnitInput!) {
    updateHousingUnit(input: $input) {
      id
    }
  }
`;
const AVAILABILITY = /* GraphQL */ `
  mutation SetUnitAvailability($input: SetUnitAvailabilityInput!) {
    setUnitAvailability(input: $input) {
      id
      status
      statusReason
    }
  }
`;

export const UNIT_STATUSES = ['FREE', 'OFFERED', 'OCCUPIED', 'UNAVAILABLE'] as const;
export const UNIT_KINDS = ['PUBLIC_RENTAL', 'LOW_RENT'] as const;
// a new district (made above on this screen) is a choice here at once, even when the list was empty
const REFETCH_ON_DISTRICTS = { additionalTypenames: ['District'] };
const STATUS_TONE: Record<UnitRow['status'], Tone> = { FREE: 'ok', OFFERED: 'info', OCCUPIED: 'muted', UNAVAILABLE: 'warn' };

export function UnitsSection({ refresh }: { refresh: number }) {
  const { t } = useTranslation();
  const mayEdit = useMay('ADMIN', 'MANAGER');
  // a caseworker filters among its own districts (the API answers no other)
  const pages = useCursorPages();
  const [districtId, setDistrictId] = useState('');
  const [status, setStatus] = useState('');
  const [kind, setKind] = useState('');
  const [address, setAddress] = useState('');
  const [addressContains, setAddressContains] = useState('');
  const filter = {
    ...(districtId ? { districtId } : {}),
    ...(status ? { status } : {}),
    ...(kind ? { kind } : {}),
    ...(addressContains ? { addressContains } : {}),
  };
  const [result, reload] = useQuery<{
    districts: { id: string; name: string }[];
    housingUnits: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: UnitRow[] };
  }>({ query: UNITS, variables: { filter, after: pages.after }, context: REFETCH_ON_DISTRICTS });
  const refetch = () => reload({ requestPolicy: 'network-only' });
  useEffect(() => {
    if (refresh) reload({ requestPolicy: 'network-only' });
  }, [refresh, reload]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UnitRow | null>(null);
  const [withdrawing, setWithdrawing] = useState<UnitRow | null>(null);
  const [returned, setAvailable] = useMutation(AVAILABILITY);
  const data = result.data;
  const choose = (set: (v: string) => void) => (value: string) => {
    set(value);
    pages.reset();
  };

  return (
    <Section
      title={t('districts.units')}
      actions={
        mayEdit && (
          <button type="button" onClick={() => setCreating(true)}>
            {t('districts.newUnit')}
          </button>
        )
      }
    >
      <form
        className="filters"
        role="search"
        aria-label={t('districts.unitFilters')}
        onSubmit={(e) => {
          e.preventDefault();
          choose(setAddressContains)(address.trim());
        }}
      >
        <Field label={t('districts.district')}>
          <select value={districtId} onChange={(e) => choose(setDistrictId)(e.target.value)}>
            <DistrictOptions districts={data?.districts} />
          </select>
        </Field>
        <Field label={t('districts.status')}>
          <select value={status} onChange={(e) => choose(setStatus)(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {UNIT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`districts.unitStatus.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('districts.kind')}>
          <select value={kind} onChange={(e) => choose(setKind)(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {UNIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`districts.unitKind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('districts.addressContains')}>
          <input type="search" value={address} onChange={(e) => setAddress(e.target.value)} />
        </Field>
        <button type="submit">{t('common.search')}</button>
      </form>
      <ApiError error={result.error} />
      <ApiError error={returned.error} />
      {result.fetching && !data && <Loading />}
      {data && (
        <>
          <div className="table-wrap">
            <table className="table" aria-label={t('districts.units')}>
              <TableHead
                columns={[
                  t('districts.address'),
                  t('districts.district'),
                  { label: t('districts.floorArea'), num: true },
                  { label: t('districts.rooms'), num: true },
                  t('districts.kind'),
                  t('districts.status'),
                  mayEdit && t('districts.actions'),
                ]}
              />
              <tbody>
                {data.housingUnits.nodes.map((u) => (
                  <tr key={u.id}>
                    <td className="address">{u.address}</td>
                    <td className="address">{u.district.name}</td>
                    <td className="num">{formatArea(u.floorArea)}</td>
                    <td className="num">{u.rooms}</td>
                    <td>{t(`districts.unitKind.${u.kind}`)}</td>
                    <td>
                      <Badge tone={STATUS_TONE[u.status]}>{t(`districts.unitStatus.${u.status}`)}</Badge>
                      {u.statusReason && <span className="field-hint"> {u.statusReason}</span>}
                      {u.currentOffer && (
                        <span className="field-hint">
                          {' '}
                          <Link to={`/households/${u.currentOffer.household.id}`}>
                            {u.currentOffer.household.head?.name ?? `#${u.currentOffer.household.id}`}
                          </Link>{' '}
                          {t('districts.acceptBy', { date: formatDate(u.currentOffer.acceptBy) })}
                        </span>
                      )}
                    </td>
                    {mayEdit && (
                      <td className="row-actions">
                        <button type="button" className="secondary" onClick={() => setEditing(u)} aria-label={t('districts.editUnit', { address: u.address })}>
                          {t('districts.edit')}
                        </button>
                        {u.status === 'FREE' && (
                          <button
                            type="button"
                            className="secondary"
                            onClick={() => setWithdrawing(u)}
                            aria-label={t('districts.withdrawUnit', { address: u.address })}
                          >
                            {t('districts.withdraw')}
                          </button>
                        )}
                        {u.status === 'UNAVAILABLE' && (
                          <button
                            type="button"
                            className="secondary"
                            disabled={returned.fetching}
                            aria-label={t('districts.returnUnit', { address: u.address })}
                            onClick={async () => {
                              const answer = await setAvailable({ input: { unitId: u.id, available: true } });
                              if (!answer.error) refetch();
                            }}
                          >
                            {t('districts.return')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.housingUnits.nodes.length === 0 && <p>{t('districts.noUnits')}</p>}
          <Pager
            totalCount={data.housingUnits.totalCount}
            page={pages.page}
            hasNextPage={data.housingUnits.pageInfo.hasNextPage}
            onNext={() => pages.next(data.housingUnits.pageInfo.endCursor)}
            onFirst={pages.reset}
          />
        </>
      )}
      <Dialog open={creating} title={t('districts.newUnit')} onClose={() => setCreating(false)}>
        <UnitForm
          districts={data?.districts ?? []}
          onDone={() => {
            setCreating(false);
            refetch();
          }}
          onCancel={() => setCreating(false)}
        />
      </Dialog>
      <Dialog open={!!editing} title={t('districts.editUnit', { address: editing?.address ?? '' })} onClose={() => setEditing(null)}>
        {editing && (
          <UnitForm
            unit={editing}
            districts={data?.districts ?? []}
            onDone={() => {
              setEditing(null);
              refetch();
            }}
            onCancel={() => setEditing(null)}
          />
        )}
      </Dialog>
      <Dialog open={!!withdrawing} title={t('districts.withdrawUnit', { address: withdrawing?.address ?? '' })} onClose={() => setWithdrawing(null)}>
        {withdrawing && (
          <WithdrawForm
            unit={withdrawing}
            onDone={() => {
              setWithdrawing(null);
              refetch();
            }}
            onCancel={() => setWithdrawing(null)}
          />
        )}
      </Dialog>
    </Section>
  );
}

const UNIT_FIELDS = ['districtId', 'address', 'floorArea', 'rooms', 'kind'];

function UnitForm({ unit, districts, onDone, onCancel }: { unit?: UnitRow; districts: { id: string; name: string }[]; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [districtId, setDistrictId] = useState(unit?.district.id ?? districts[0]?.id ?? '');
  const [address, setAddress] = useState(unit?.address ?? '');
  const [floorArea, setFloorArea] = useState(unit ? String(unit.floorArea) : '');
  const [rooms, setRooms] = useState(unit ? String(unit.rooms) : '');
  const [kind, setKind] = useState<string>(unit?.kind ?? 'PUBLIC_RENTAL');
  const [created, create] = useMutation(CREATE);
  const [updated, update] = useMutation(UPDATE);
  const result = unit ? updated : created;

  async function submit(e: FormEvent) {
    e.preventDefault();
    // numbers as typed (the browser keeps rooms whole): the API says what is wrong with them, next to the field
    const numbers = { floorArea: Number(floorArea), rooms: Number(rooms) };
    const answer = unit
      ? await update({ input: { unitId: unit.id, address, kind, ...numbers } })
      : await create({ input: { districtId, address, kind, ...numbers } });
    if (!answer.error) onDone();
  }

  return (
    <form className="form stacked" onSubmit={submit}>
      {!unit && (
        <Field label={t('districts.district')} error={problemAt(result.error, 'districtId')}>
          <select value={districtId} onChange={(e) => setDistrictId(e.target.value)}>
            {districts.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label={t('districts.address')} error={problemAt(result.error, 'address')}>
        <input value={address} onChange={(e) => setAddress(e.target.value)} required />
      </Field>
      <Field label={t('districts.floorAreaM2')} error={problemAt(result.error, 'floorArea')}>
        <input type="number" step="0.01" inputMode="decimal" value={floorArea} onChange={(e) => setFloorArea(e.target.value)} required />
      </Field>
      <Field label={t('districts.rooms')} error={problemAt(result.error, 'rooms')}>
        <input type="number" step="1" inputMode="numeric" value={rooms} onChange={(e) => setRooms(e.target.value)} required />
      </Field>
      <Field label={t('districts.kind')} error={problemAt(result.error, 'kind')}>
        <select value={kind} onChange={(e) => setKind(e.target.value)}>
          {UNIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`districts.unitKind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <ApiError error={result.error} shownFields={UNIT_FIELDS} />
      <FormActions submit={t('common.save')} busy={result.fetching} onCancel={onCancel} />
    </form>
  );
}

function WithdrawForm({ unit, onDone, onCancel }: { unit: UnitRow; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [result, withdraw] = useMutation(AVAILABILITY);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = await withdraw({ input: { unitId: unit.id, available: false, reason } });
    if (!answer.error) onDone();
  }
  return (
    <form className="form stacked" onSubmit={submit}>
      <Field label={t('districts.reason')} error={problemAt(result.error, 'reason')} hint={t('districts.reasonHint')}>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
      </Field>
      <ApiError error={result.error} shownFields={['reason']} />
      <FormActions submit={t('districts.withdraw')} danger busy={result.fetching} onCancel={onCancel} />
    </form>
  );
}
