// The audit log's filter, from the screen's address to the API's AuditFilter.
export const TEXT_FILTERS = ['actor', 'action', 'householdId', 'subject'] as const;
export const FILTERS = [...TEXT_FILTERS, 'from', 'to'] as const;
export type FilterKey = (typeof FILTERS)[number];

/** the API's filter from the address: text trimmed, empty left out; dates are whole days in the reader's time zone, both ends included */
export function auditFilterOf(params: URLSearchParams): Record<string, string> {
  const filter: Record<string, string> = {};
  for (const key of TEXT_FILTERS) {
    const value = params.get(key)?.trim();
    if (value) filter[key] = value;
  }
  const from = params.get('from');
  const to = params.get('to');
  if (from) filter['from'] = new Date(`${from}T00:00:00`).toISOString();
  if (to) filter['to'] = new Date(`${to}T23:59:59.999`).toISOString();
  return filter;
}
