/** GraphQL sends `name: null` for an optional field set to null: in an update, null means "leave as is". */
export function withoutNulls(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null));
}
