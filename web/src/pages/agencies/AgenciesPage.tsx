// What the bureau sees of the agencies' feeds (read-only: feeds stay the agencies' business): per
// agency, how old its newest data is against the policy's limit (fresh / stale / missing) and its
// last batches with the records received, accepted and rejected.
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { ApiError, Badge, Loading, Section, TableHead, type Tone } from '../../components/ui';
import { formatDate, formatDateTime, formatNumber } from '../../format';

const FEEDS = /* GraphQL */ `
  query AgencyFeeds {
    agencyFeeds(batches: 5) {
      agency
      name
      live
      newestAsOf
      ageDays
      maxAgeDays
      freshness
      batches {
        id
        batchKey
        mode
        status
        asOf
        receivedAt
        received
        accepted
        rejected
      }
    }
  }
`;

interface AgencyFeed {
  agency: string;
  name: string;
  live: boolean;
  newestAsOf: string | null;
  ageDays: number | null;
  maxAgeDays: number | null;
  freshness: 'FRESH' | 'STALE' | 'MISSING';
  batches: {
    id: string;
    batchKey: string;
    mode: string;
    status: string;
    asOf: string;
    receivedAt: string;
    received: number;
    accepted: number;
    rejected: number;
  }[];
}

const TONE: Record<AgencyFeed['freshness'], Tone> = { FRESH: 'ok', STALE: 'warn', MISSING: 'bad' };
const STATUS_TONE: Record<string, Tone> = { ACCEPTED: 'ok', PARTIAL: 'warn', REFUSED: 'bad' };

export function AgenciesPage() {
  const { t } = useTranslation();
  const [result] = useQuery<{ agencyFeeds: AgencyFeed[] }>({ query: FEEDS });
  const feeds = result.data?.agencyFeeds;
  const name = (f: AgencyFeed) => t(`agencies.agencies.${f.agency}`, { defaultValue: f.name });
  return (
    <>
      <header className="page-header">
        <h1>{t('agencies.title')}</h1>
      </header>
      <p>{t('agencies.intro')}</p>
      <ApiError error={result.error} />
      {result.fetching && !feeds && <Loading />}
      {feeds && (
        <>
          <Section title={t('agencies.summary')}>
            <div className="table-wrap">
              <table className="table agency-summary">
                <TableHead
                  columns={[
                    t('agencies.agency'),
                    t('agencies.freshness'),
                    t('agencies.newest'),
                    { label: t('agencies.age'), num: true },
                    { label: t('agencies.limit'), num: true },
                  ]}
                />
                <tbody>
                  {feeds.map((f) => (
                    <tr key={f.agency}>
                      <th scope="row">
                        {name(f)} {f.live && <Badge tone="info">{t('agencies.live')}</Badge>}
                      </th>
                      <td>
                        <Badge tone={TONE[f.freshness]}>{t(`common.freshness.${f.freshness}`)}</Badge>
                      </td>
                      <td>{formatDate(f.newestAsOf)}</td>
                      <td className="num">{f.ageDays === null ? '—' : t('agencies.ageDays', { count: f.ageDays })}</td>
                      <td className="num">{f.maxAgeDays === null ? t('agencies.noLimit') : t('agencies.limitDays', { count: f.maxAgeDays })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
          <>
            {feeds.map((f) => (
              <Section key={f.agency} title={name(f)} actions={<Badge tone={TONE[f.freshness]}>{t(`common.freshness.${f.freshness}`)}</Badge>}>
                {f.live && <p className="field-hint">{t('agencies.liveHint')}</p>}
                {f.batches.length === 0 ? (
                  <p>{t('agencies.noData')}</p>
                ) : (
                  <div className="table-wrap">
                    <table className="table agency-batches" aria-label={`${name(f)} · ${t('agencies.batches')}`}>
                      <TableHead
                        columns={[
                          t('agencies.receivedAt'),
                          t('agencies.batchKey'),
                          t('agencies.asOf'),
                          t('agencies.status'),
                          { label: t('agencies.received'), num: true },
                          { label: t('agencies.accepted'), num: true },
                          { label: t('agencies.rejected'), num: true },
                        ]}
                      />
                      <tbody>
                        {f.batches.map((b) => (
                          <tr key={b.id}>
                            <td>{formatDateTime(b.receivedAt)}</td>
                            <td className="mono" title={t(`agencies.modes.${b.mode}`)}>
                              {b.batchKey}
                            </td>
                            <td>{formatDate(b.asOf)}</td>
                            <td>
                              <Badge tone={STATUS_TONE[b.status] ?? 'muted'}>{t(`agencies.statuses.${b.status}`)}</Badge>
                            </td>
                            <td className="num">{formatNumber(b.received)}</td>
                            <td className="num">{formatNumber(b.accepted)}</td>
                            <td className="num">{formatNumber(b.rejected)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </Section>
            ))}
          </>
        </>
      )}
    </>
  );
}
