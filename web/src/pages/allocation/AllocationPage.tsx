// KC-13(4): allocation in one district — a manager runs the lottery among the waitlisted households
// for the free units (and sees the order drawn), or offers a unit directly; the household's answer to
// each offer (accept, decline) and the bureau's withdrawal; each unit's state as it is now.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useCursorPages, useUrlFilters } from '../../components/paging';
import { ApiError, Badge, districtOptions, Field, FilterSelect, labelled, Loading, Pager, Section, Working, type Tone } from '../../components/ui';
import { formatDate } from '../../format';
import { useMay } from '../../session';
import { ActionDialog, fieldProblem, today, useOwnDistricts } from '../cases/ActionDialog';

const DISTRICTS = /* GraphQL */ `
  query AllocationDistricts {
    districts {
      id
      name
    }
  }
`;

const CHOICES = /* GraphQL */ `
  query AllocationChoices($districtId: ID!) {
    households(filter: { districtId: $districtId, status: WAITLISTED }, first: 100) {
      nodes {
        id
        head {
          name
        }
      }
    }
    housingUnits(filter: { districtId: $districtId, status: FREE }, first: 100) {
      nodes {
        id
        address
      }
    }
  }
`;

const OFFERS = /* GraphQL */ `
  query Offers($filter: OfferFilter, $after: String) {
    offers(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        offeredOn
        acceptBy
        decidedOn
        reason
        draw {
          id
        }
        household {
          id
          head {
            name
          }
        }
        unit {
          id
          address
          status
        }
      }
    }
  }
`;

const DRAW = /* GraphQL */ `
  mutation DrawLottery($input: DrawLotteryInput!) {
    drawLottery(input: $input) {
      id
    }
  }
`;

const DRAWN = /* GraphQL */ `
  query LotteryDraw($id: ID!) {
    lotteryDraw(id: $id) {
      id
      drawnOn
      seed
      verified
      allocation {
        household {
          id
          head {
            name
          }
        }
        unit {
          id
          address
        }
      }
    }
  }
`;

const OFFER = /* GraphQL */ `
  mutation OfferUnit($input: OfferUnitInput!) {
    offerUnit(input: $input) {
      id
    }
  }
`;
const ACCEPT = /* GraphQL */ `
  mutation AcceptOffer($input: AcceptOfferInput!) {
    acceptOffer(input: $input) {
      id
      status
    }
  }
`;
const DECLINE = /* GraphQL */ `
  mutation DeclineOffer($input: DeclineOfferInput!) {
    declineOffer(input: $input) {
      id
      status
    }
  }
`;
const WITHDRAW = /* GraphQL */ `
  mutation WithdrawOffer($input: WithdrawOfferInput!) {
    withdrawOffer(input: $input) {
      id
      status
    }
  }
`;

interface Named {
  id: string;
  head: { name: string } | null;
}
interface OfferRow {
  id: string;
  status: string;
  offeredOn: string;
  acceptBy: string;
  decidedOn: string | null;
  reason: string | null;
  draw: { id: string } | null;
  household: Named;
  unit: { id: string; address: string; status: string };
}
interface Draw {
  id: string;
  drawnOn: string;
  seed: string;
  verified: boolean;
  allocation: { household: Named; unit: { id: string; address: string } | null }[];
}

const OFFER_STATUSES = ['OPEN', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN'];
const OFFER_TONE: Record<string, Tone> = { OPEN: 'warn', ACCEPTED: 'ok', DECLINED: 'muted', EXPIRED: 'muted', WITHDRAWN: 'muted' };
const UNIT_TONE: Record<string, Tone> = { FREE: 'ok', OFFERED: 'warn', OCCUPIED: 'info', UNAVAILABLE: 'muted' };

export function AllocationPage() {
  const { t } = useTranslation();
  const { value, setFilter } = useUrlFilters();
  const [districts] = useQuery<{ districts: { id: string; name: string }[] }>({ query: DISTRICTS });
  const own = useOwnDistricts(districts.data?.districts);
  const districtId = value('district') || own[0]?.id || '';
  const manager = useMay('ADMIN', 'MANAGER');
  const [changed, setChanged] = useState(0);
  const [drawId, setDrawId] = useState<string | null>(null);
  return (
    <>
      <header className="page-header">
        <h1>{t('allocation.title')}</h1>
        <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <FilterSelect
            label={t('allocation.district')}
            value={districtId}
            options={districtOptions(own)}
            all={false}
            onChange={(v) => setFilter('district', v)}
          />
        </form>
      </header>
      <ApiError error={districts.error} />
      {districtId && (
        <>
          {manager && (
            <div className="grid-2">
              <DrawSection
                districtId={districtId}
                onDrawn={(id) => {
                  setDrawId(id);
                  setChanged((n) => n + 1);
                }}
              />
              <OfferSection key={changed} districtId={districtId} onOffered={() => setChanged((n) => n + 1)} />
            </div>
          )}
          {drawId && <DrawResult key={drawId} id={drawId} />}
          <OffersSection key={`offers-${districtId}-${changed}`} districtId={districtId} onChanged={() => setChanged((n) => n + 1)} onShowDraw={setDrawId} />
        </>
      )}
    </>
  );
}

function householdLabel(h: Named): string {
  return h.head ? `#${h.id} ${h.head.name}` : `#${h.id}`;
}

function DrawSection({ districtId, onDrawn }: { districtId: string; onDrawn(id: string): void }) {
  const { t } = useTranslation();
  const [seed, setSeed] = useState('');
  const [drawnOn, setDrawnOn] = useState(today());
  const [result, draw] = useMutation<{ drawLottery: { id: string } }>(DRAW);
  const submit = async () => {
    const done = await draw({ input: { districtId, seed, drawnOn } });
    if (done.data) onDrawn(done.data.drawLottery.id);
  };
  return (
    <Section title={t('allocation.drawTitle')}>
      <form
        className="form"
        aria-label={t('allocation.drawTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={t('allocation.seed')} hint={t('allocation.seedHint')} error={fieldProblem(result.error, 'seed')}>
          <input value={seed} onChange={(e) => setSeed(e.target.value)} required />
        </Field>
        <Field label={t('allocation.drawnOn')} error={fieldProblem(result.error, 'drawnOn')}>
          <input type="date" value={drawnOn} onChange={(e) => setDrawnOn(e.target.value)} required />
        </Field>
        <button type="submit" disabled={result.fetching}>
          {t('allocation.runDraw')}
        </button>
      </form>
      {result.fetching && <Working label={t('allocation.drawing')} />}
      <ApiError error={result.error} shownFields={['seed', 'drawnOn']} />
    </Section>
  );
}

/** a draw's result in the order drawn: the households that drew a unit first, then the reserve */
function DrawResult({ id }: { id: string }) {
  const { t } = useTranslation();
  const [result] = useQuery<{ lotteryDraw: Draw | null }>({ query: DRAWN, variables: { id } });
  const shown = result.data?.lotteryDraw;
  return (
    <Section
      title={shown ? t('allocation.drawResult', { id: shown.id, date: formatDate(shown.drawnOn) }) : t('allocation.drawTitle')}
      actions={shown && <Badge tone={shown.verified ? 'ok' : 'bad'}>{shown.verified ? t('allocation.verified') : t('allocation.notVerified')}</Badge>}
    >
      <ApiError error={result.error} />
      {result.fetching && !shown && <Loading />}
      {shown && (
        <>
          <p className="field-hint">
            {t('allocation.seed')}: <span className="mono">{shown.seed}</span>
          </p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('allocation.order')}</th>
                <th scope="col">{t('allocation.household')}</th>
                <th scope="col">{t('allocation.unit')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.allocation.map((a, i) => (
                <tr key={a.household.id}>
                  <td className="num">{i + 1}</td>
                  <td>
                    <Link to={`/households/${a.household.id}`}>{householdLabel(a.household)}</Link>
                  </td>
                  <td>{a.unit ? a.unit.address : <span className="field-hint">{t('allocation.reserve')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

function OfferSection({ districtId, onOffered }: { districtId: string; onOffered(): void }) {
  const { t } = useTranslation();
  const [choices] = useQuery<{ households: { nodes: Named[] }; housingUnits: { nodes: { id: string; address: string }[] } }>({
    query: CHOICES,
    variables: { districtId },
    requestPolicy: 'network-only',
  });
  const [householdId, setHouseholdId] = useState('');
  const [unitId, setUnitId] = useState('');
  const [on, setOn] = useState('');
  const [result, offer] = useMutation(OFFER);
  const waiting = choices.data?.households.nodes ?? [];
  const free = choices.data?.housingUnits.nodes ?? [];
  const household = householdId || waiting[0]?.id || '';
  const unit = unitId || free[0]?.id || '';
  const submit = async () => {
    const done = await offer({ input: { householdId: household, unitId: unit, on: on || null } });
    if (!done.error) onOffered();
  };
  return (
    <Section title={t('allocation.offerTitle')}>
      <ApiError error={choices.error} />
      {choices.data && !waiting.length && <p>{t('allocation.noWaiting')}</p>}
      {choices.data && !free.length && <p>{t('allocation.noFree')}</p>}
      {waiting.length > 0 && free.length > 0 && (
        <form
          className="form"
          aria-label={t('allocation.offerTitle')}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field label={t('allocation.offerHousehold')} error={fieldProblem(result.error, 'householdId')}>
            <select value={household} onChange={(e) => setHouseholdId(e.target.value)}>
              {waiting.map((h) => (
                <option key={h.id} value={h.id}>
                  {householdLabel(h)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('allocation.offerUnit')} error={fieldProblem(result.error, 'unitId')}>
            <select value={unit} onChange={(e) => setUnitId(e.target.value)}>
              {free.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.address}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('allocation.offerOn')} hint={t('allocation.onHint')} error={fieldProblem(result.error, 'on')}>
            <input type="date" value={on} onChange={(e) => setOn(e.target.value)} />
          </Field>
          <button type="submit" disabled={result.fetching}>
            {t('allocation.offer')}
          </button>
        </form>
      )}
      <ApiError error={result.error} shownFields={['householdId', 'unitId', 'on']} />
    </Section>
  );
}

type Decision = { kind: 'accept' | 'decline' | 'withdraw'; offer: OfferRow } | null;

function OffersSection({ districtId, onChanged, onShowDraw }: { districtId: string; onChanged(): void; onShowDraw(id: string): void }) {
  const { t } = useTranslation();
  const manager = useMay('ADMIN', 'MANAGER');
  const pages = useCursorPages();
  const [status, setStatus] = useState('');
  const [result] = useQuery<{ offers: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: OfferRow[] } }>({
    query: OFFERS,
    variables: { filter: { districtId, ...(status ? { status } : {}) }, after: pages.after },
    requestPolicy: 'network-only',
  });
  const [decision, setDecision] = useState<Decision>(null);
  const data = result.data;
  return (
    <Section
      title={t('allocation.offersTitle')}
      actions={
        <FilterSelect
          label={t('allocation.status')}
          value={status}
          options={labelled(OFFER_STATUSES, (s) => t(`allocation.offerStatus.${s}`))}
          onChange={(v) => {
            setStatus(v);
            pages.reset();
          }}
        />
      }
    >
      <ApiError error={result.error} />
      {result.fetching && !data && <Loading />}
      {data && data.offers.nodes.length === 0 && <p>{t('allocation.noOffers')}</p>}
      {data && data.offers.nodes.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('allocation.household')}</th>
                <th scope="col">{t('allocation.unit')}</th>
                <th scope="col">{t('allocation.unitStatus')}</th>
                <th scope="col">{t('allocation.offeredOn')}</th>
                <th scope="col">{t('allocation.acceptBy')}</th>
                <th scope="col">{t('allocation.status')}</th>
                <th scope="col">{t('allocation.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.offers.nodes.map((o) => (
                <tr key={o.id} aria-label={t('allocation.householdLink', { id: o.household.id })}>
                  <td>
                    {o.id}
                    <div className="field-hint">
                      {o.draw ? (
                        <button type="button" className="link" onClick={() => onShowDraw(o.draw!.id)}>
                          {t('allocation.byDraw', { id: o.draw.id })}
                        </button>
                      ) : (
                        t('allocation.direct')
                      )}
                    </div>
                  </td>
                  <td>
                    <Link to={`/households/${o.household.id}`}>{householdLabel(o.household)}</Link>
                  </td>
                  <td>{o.unit.address}</td>
                  <td>
                    <Badge tone={UNIT_TONE[o.unit.status] ?? 'muted'}>{t(`allocation.unitStatusLabel.${o.unit.status}`)}</Badge>
                  </td>
                  <td>{formatDate(o.offeredOn)}</td>
                  <td>{formatDate(o.acceptBy)}</td>
                  <td>
                    <Badge tone={OFFER_TONE[o.status] ?? 'muted'}>{t(`allocation.offerStatus.${o.status}`)}</Badge>
                    {o.reason && <div className="field-hint">{o.reason}</div>}
                  </td>
                  <td>
                    <div className="row-actions">
                      {o.status === 'OPEN' && (
                        <>
                          <button type="button" onClick={() => setDecision({ kind: 'accept', offer: o })}>
                            {t('allocation.accept')}
                          </button>
                          <button type="button" className="secondary" onClick={() => setDecision({ kind: 'decline', offer: o })}>
                            {t('allocation.decline')}
                          </button>
                          {manager && (
                            <button type="button" className="secondary" onClick={() => setDecision({ kind: 'withdraw', offer: o })}>
                              {t('allocation.withdraw')}
                            </button>
                          )}
                        </>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && (
        <Pager
          totalCount={data.offers.totalCount}
          page={pages.page}
          hasNextPage={data.offers.pageInfo.hasNextPage}
          onNext={() => pages.next(data.offers.pageInfo.endCursor)}
          onFirst={pages.reset}
        />
      )}
      {decision && (
        <DecisionDialog
          decision={decision}
          onClose={() => setDecision(null)}
          onDone={() => {
            setDecision(null);
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

function DecisionDialog({ decision, onClose, onDone }: { decision: NonNullable<Decision>; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { kind, offer } = decision;
  const [on, setOn] = useState('');
  const [startDate, setStartDate] = useState(today());
  const [reason, setReason] = useState('');
  const [result, run] = useMutation(kind === 'accept' ? ACCEPT : kind === 'decline' ? DECLINE : WITHDRAW);
  const submit = async () => {
    const input = kind === 'accept' ? { offerId: offer.id, on: on || null, startDate } : { offerId: offer.id, on: on || null, reason };
    const done = await run({ input });
    if (!done.error) onDone();
  };
  return (
    <ActionDialog
      open
      title={t(`allocation.${kind}Title`, { id: offer.id })}
      submitLabel={t(`allocation.${kind}`)}
      onSubmit={() => void submit()}
      onClose={onClose}
      error={result.error}
      busy={result.fetching}
      shownFields={['on', 'startDate', 'reason']}
    >
      <Field label={kind === 'accept' ? t('allocation.acceptedOn') : t('allocation.on')} hint={t('allocation.onHint')} error={fieldProblem(result.error, 'on')}>
        <input type="date" value={on} onChange={(e) => setOn(e.target.value)} />
      </Field>
      {kind === 'accept' ? (
        <Field label={t('allocation.startDate')} error={fieldProblem(result.error, 'startDate')}>
          <input type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} required />
        </Field>
      ) : (
        <Field label={t('allocation.reason')} error={fieldProblem(result.error, 'reason')}>
          <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} required />
        </Field>
      )}
    </ActionDialog>
  );
}
