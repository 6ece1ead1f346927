// A page of households reads, at once and before their fields resolve, what those fields will read:
// each field then finds its value at hand (AtHandLoader.peek) instead of waiting on a promise of its
// own. The same statements as the fields would cause, only earlier; nothing a page does not ask for.
import type { HouseholdRow, RecordLoaders } from './loaders.js';

/** fields of Household that read the current members */
const READ_MEMBERS = ['members', 'head', 'currentHousing', 'agencySummary', 'qualification'];

export async function readAhead(loaders: RecordLoaders, households: readonly HouseholdRow[], fields: ReadonlySet<string>): Promise<void> {
  if (!households.length) return;
  const ids = households.map((h) => h.id);
  const asks = (...names: string[]) => names.some((n) => fields.has(n));
  const reads: Promise<unknown>[] = [];
  if (asks('district')) reads.push(loaders.district.loadMany([...new Set(households.map((h) => h.districtId))]));
  if (asks(...READ_MEMBERS)) reads.push(loaders.membersByHousehold.loadMany(ids));
  else if (asks('size')) reads.push(loaders.memberCountByHousehold.loadMany(ids));
  if (asks('currentHousing')) reads.push(loaders.currentHousing.loadMany(ids));
  if (asks('tenancy', 'unit')) {
    reads.push(
      loaders.activeTenancyByHousehold.loadMany(ids).then((tenancies) => {
        const units = tenancies.flatMap((t) => (t && !(t instanceof Error) ? [t.unitId] : []));
        return asks('unit') && units.length ? loaders.unit.loadMany(units) : undefined;
      }),
    );
  }
  if (asks('application')) reads.push(loaders.applicationByHousehold.loadMany(ids));
  // loadMany answers an Error per key rather than failing: a field meets its own error when it resolves
  await Promise.all(reads);
}
