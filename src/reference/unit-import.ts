// The bureau's register of housing units, imported as a file (CSV or NDJSON) or through GraphQL.
// The address is the natural key: a registered address updates that unit's size, rooms and kind, so
// the same file imported again under a new key changes nothing. A unit never moves between districts.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { anyOf, type Db } from '../db/client.js';
import { districts, housingUnits } from '../db/schema.js';
import { runImport, type ImportDefinition, type ImportMode, type ImportResult, type RecordError, type Valid } from '../imports/batch.js';
import type { ImportRoute } from '../imports/http.js';
import { addressSchema, floorAreaSchema, kindSchema, roomsSchema } from './units.js';

export const UNIT_IMPORT_KIND = 'UNITS';

const unitRecord = z.object({
  address: addressSchema,
  districtId: z.string({ message: 'is required' }).trim().min(1, 'must not be empty'),
  floorArea: floorAreaSchema,
  rooms: roomsSchema,
  kind: kindSchema,
});

export type UnitRecord = z.input<typeof unitRecord>;
type Unit = z.output<typeof unitRecord>;

// 5 bind parameters a row: far below PostgreSQL's 65,535 per statement
const CHUNK = 2_000;

async function writeUnits(tx: Db, records: Valid<Unit>[], by: string): Promise<RecordError[]> {
  const errors: RecordError[] = [];
  const districtIds = [...new Set(records.map((r) => r.value.districtId))];
  const known = new Set(
    districtIds.length ? (await tx.select({ id: districts.id }).from(districts).where(anyOf(districts.id, districtIds))).map((d) => d.id) : [],
  );
  const firstAt = new Map<string, number>();
  const writable: Valid<Unit>[] = [];
  for (const record of records) {
    const { address, districtId } = record.value;
    if (!known.has(districtId)) {
      errors.push({ index: record.index, field: 'districtId', reason: `unknown district ${districtId}` });
      continue;
    }
    const earlier = firstAt.get(address);
    if (earlier !== undefined) {
      errors.push({ index: record.index, field: 'address', reason: `the same address as record ${earlier}` });
      continue;
    }
    firstAt.set(address, record.index);
    writable.push(record);
  }

  for (let i = 0; i < writable.length; i += CHUNK) {
    const chunk = writable.slice(i, i + CHUNK);
    await tx
      .insert(housingUnits)
      .values(chunk.map(({ value }) => ({ ...value, status: 'FREE' as const, createdBy: by })))
      .onConflictDoUpdate({
        target: housingUnits.address,
        set: { floorArea: sql`excluded.floor_area`, rooms: sql`excluded.rooms`, kind: sql`excluded.kind`, updatedAt: sql`now()` },
        // an unchanged unit is left alone; one registered in another district is not taken over
        setWhere: sql`${housingUnits.districtId} = excluded.district_id
          and (${housingUnits.floorArea}, ${housingUnits.rooms}, ${housingUnits.kind}) is distinct from (excluded.floor_area, excluded.rooms, excluded.kind)`,
      });
  }

  // whatever another district already holds at an address was not written: say so
  const stored = new Map<string, string>();
  for (let i = 0; i < writable.length; i += CHUNK) {
    const addresses = writable.slice(i, i + CHUNK).map((r) => r.value.address);
    const rows = await tx
      .select({ address: housingUnits.address, districtId: housingUnits.districtId })
      .from(housingUnits)
      .where(anyOf(housingUnits.address, addresses));
    for (const row of rows) stored.set(row.address, row.districtId);
  }
  for (const { index, value } of writable) {
    const districtId = stored.get(value.address);
    if (districtId !== value.districtId) {
      errors.push({
        index,
        field: 'districtId',
        reason: `the unit at this address is registered in district ${districtId}; a unit does not move between districts`,
      });
    }
  }
  return errors;
}

export const unitImport: ImportDefinition<typeof unitRecord> = {
  kind: UNIT_IMPORT_KIND,
  schema: unitRecord,
  write: writeUnits,
};

/** Imports unit records (a file's rows, or the demo's stock) with the import core's batch key and modes. */
export function importUnits(db: Db, args: { batchKey: string; mode: ImportMode; records: readonly unknown[]; by: string }): Promise<ImportResult> {
  return runImport(db, unitImport, args);
}

export const unitImportRoute: ImportRoute = {
  roles: ['ADMIN', 'MANAGER'],
  numeric: ['floorArea', 'rooms'],
  run: (database, args) => importUnits(database.db, args),
};
