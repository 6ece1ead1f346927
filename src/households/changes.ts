// KC-14: changes a household reports after registration (a member joins, moves out or dies, a
// relation or the current housing changes). Each is applied and recorded in one transaction, with
// what it was before; people who leave stay on file as former members.
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { isUniqueViolation, type Db } from '../db/client.js';
import { currentHousing, households, housingTenure, persons, relation } from '../db/schema.js';
import { maskName, maskResidentId } from '../domain/resident-id.js';
import { badUserInput, parseInput } from '../errors.js';
import type { HubContext } from '../context.js';
import { detect } from '../detection/detect.js';
import type { AlertRow } from '../detection/loaders.js';
import type { CurrentHousingRow, HouseholdChangeRow, HouseholdRow, PersonRow } from './loaders.js';
import { isoDate, memberSchema } from './service.js';
import { householdChanges } from './tables.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Relation = (typeof relation.enumValues)[number];
type ChangeKind = HouseholdChangeRow['kind'];

export interface ChangeResult {
  household: HouseholdRow;
  changes: HouseholdChangeRow[];
}

/** a change as the API answers it: with the alerts the rules raised on the household's new state */
export type ChangeResultView = ChangeResult & { alertsRaised: AlertRow[] };

type ChangeService = (db: Db, raw: unknown, today: string, by: string) => Promise<ChangeResult>;

/** Applies the change, then runs the alert rules on the household's new state (after the commit). */
export async function reportChange(
  ctx: Pick<HubContext, 'db' | 'database' | 'today' | 'who' | 'log'>,
  change: ChangeService,
  raw: unknown,
): Promise<ChangeResultView> {
  const result = await change(ctx.db, raw, ctx.today, ctx.who);
  let alertsRaised: AlertRow[] = [];
  try {
    alertsRaised = await detect(ctx.database, [result.household.id], ctx.today);
  } catch (error) {
    // the change is recorded; the daily inspection will raise what this could not
    ctx.log.warn({ err: error, householdId: result.household.id }, 'detection after a reported change failed');
  }
  return { ...result, alertsRaised };
}

/** the most members a household may have, as at registration */
const MAX_MEMBERS = 20;

const householdId = z.coerce.number().int().positive('must be a household id');
const residentId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .transform((v) => v.toUpperCase());
const note = z.string().trim().max(2000, 'at most 2,000 characters').nullish();
const pastDate = (today: string) => isoDate.refine((d) => d <= today, 'must not be in the future');

/** effectiveOn (or diedOn): the day it happened; reportedOn: the day the family reported it (default today) */
const reportedFields = (today: string) => ({ householdId, reportedOn: pastDate(today).nullish(), note });

function reportedAfter(ctx: z.RefinementCtx, reportedOn: string | null | undefined, on: string, name: string): void {
  if (reportedOn && reportedOn < on) ctx.addIssue({ code: 'custom', path: ['reportedOn'], message: `must not be before ${name}` });
}

const relationChange = z.object({ residentId, relation: z.enum(relation.enumValues) });

/** when the head leaves: who heads the household now, and optionally others' relations to the new head */
const succession = {
  newHead: residentId.nullish(),
  relations: z.array(relationChange).max(MAX_MEMBERS).nullish(),
};

export function addMemberSchema(today: string) {
  return z.object({ ...reportedFields(today), effectiveOn: pastDate(today), member: memberSchema }).superRefine((input, ctx) => {
    reportedAfter(ctx, input.reportedOn, input.effectiveOn, 'effectiveOn');
    if (input.member.relation === 'HEAD') {
      ctx.addIssue({
        code: 'custom',
        path: ['member', 'relation'],
        message: 'the household has a head: add the member with their relation, then name a new head with changeMemberRelation',
      });
    }
    if (input.effectiveOn < input.member.birthDate) ctx.addIssue({ code: 'custom', path: ['effectiveOn'], message: 'must not be before the member was born' });
  });
}

export function removeMemberSchema(today: string) {
  return z
    .object({ ...reportedFields(today), effectiveOn: pastDate(today), residentId, reason: z.enum(['MOVED_OUT', 'OTHER']), ...succession })
    .superRefine((input, ctx) => reportedAfter(ctx, input.reportedOn, input.effectiveOn, 'effectiveOn'));
}

export function memberDeathSchema(today: string) {
  return z
    .object({ ...reportedFields(today), diedOn: pastDate(today), residentId, ...succession })
    .superRefine((input, ctx) => reportedAfter(ctx, input.reportedOn, input.diedOn, 'diedOn'));
}

export function relationChangeSchema(today: string) {
  return z
    .object({
      ...reportedFields(today),
      effectiveOn: pastDate(today),
      changes: z.array(relationChange).min(1, 'at least one change').max(MAX_MEMBERS, `at most ${MAX_MEMBERS} changes`),
    })
    .superRefine((input, ctx) => {
      reportedAfter(ctx, input.reportedOn, input.effectiveOn, 'effectiveOn');
      const seen = new Set<string>();
      input.changes.forEach((c, i) => {
        if (seen.has(c.residentId)) ctx.addIssue({ code: 'custom', path: ['changes', i, 'residentId'], message: 'listed twice' });
        seen.add(c.residentId);
      });
    });
}

export function housingChangeSchema(today: string) {
  return z
    .object({
      ...reportedFields(today),
      effectiveOn: pastDate(today),
      floorArea: z.number().finite().min(0, 'must not be negative').max(10_000, 'at most 10,000 m²'),
      tenure: z.enum(housingTenure.enumValues),
    })
    .superRefine((input, ctx) => {
      reportedAfter(ctx, input.reportedOn, input.effectiveOn, 'effectiveOn');
      if (input.tenure === 'NONE' && input.floorArea !== 0)
        ctx.addIssue({ code: 'custom', path: ['floorArea'], message: 'must be 0 when the household has no housing (tenure NONE)' });
    });
}

/** What a change record keeps of a person: identifiers masked, as everywhere the API answers. */
function personView(p: Pick<PersonRow, 'id' | 'residentId' | 'name' | 'relation'> & Partial<Pick<PersonRow, 'leftOn' | 'leftReason'>>) {
  return {
    personId: p.id,
    residentId: maskResidentId(p.residentId),
    name: maskName(p.name),
    relation: p.relation,
    ...(p.leftOn ? { leftOn: p.leftOn, leftReason: p.leftReason } : {}),
  };
}

/** The household, locked for this transaction so that two changes to it are applied one after the other. */
async function lockHousehold(tx: Tx, id: number): Promise<HouseholdRow> {
  const [household] = await tx.select().from(households).where(eq(households.id, id)).for('update');
  if (!household) throw badUserInput('input.householdId', `no household ${id}`);
  if (household.status === 'EXITED') throw badUserInput('input.householdId', 'the household has exited the programme: its record is closed');
  return household;
}

const currentMembers = (tx: Tx, id: number) =>
  tx
    .select()
    .from(persons)
    .where(and(eq(persons.householdId, id), isNull(persons.leftOn)))
    .orderBy(persons.id);

interface Common {
  householdId: number;
  reportedOn?: string | null;
  note?: string | null;
}

function recorder(tx: Tx, input: Common, effectiveOn: string, today: string, by: string) {
  return async (kind: ChangeKind, personId: number | null, before: unknown, after: unknown) => {
    const [row] = await tx
      .insert(householdChanges)
      .values({
        householdId: input.householdId,
        kind,
        personId,
        before,
        after,
        effectiveOn,
        reportedOn: input.reportedOn ?? today,
        note: input.note ?? null,
        recordedBy: by,
      })
      .returning();
    return row!;
  };
}

/**
 * New relations for the members who stay, checked to leave exactly one HEAD: the named new head
 * (when the head is leaving) and any restated relations. Writes a RELATION_CHANGED record each.
 */
async function applyRelations(
  tx: Tx,
  remaining: PersonRow[],
  changes: readonly { residentId: string; relation: Relation }[],
  field: (i: number) => string,
  record: ReturnType<typeof recorder>,
): Promise<HouseholdChangeRow[]> {
  const byId = new Map(remaining.map((m) => [m.residentId, m]));
  const next = new Map(remaining.map((m) => [m.id, m.relation]));
  changes.forEach((c, i) => {
    const member = byId.get(c.residentId);
    if (!member) throw badUserInput(field(i), 'not a current member of this household');
    next.set(member.id, c.relation);
  });
  const heads = [...next.values()].filter((r) => r === 'HEAD').length;
  if (heads !== 1) throw badUserInput(changes.length ? field(0) : 'input', `the household must have exactly one HEAD, these changes leave ${heads}`);
  const written: HouseholdChangeRow[] = [];
  for (const member of remaining) {
    const relationNow = next.get(member.id)!;
    if (relationNow === member.relation) continue;
    await tx.update(persons).set({ relation: relationNow }).where(eq(persons.id, member.id));
    written.push(await record('RELATION_CHANGED', member.id, personView(member), personView({ ...member, relation: relationNow })));
  }
  return written;
}

export async function addHouseholdMember(db: Db, raw: unknown, today: string, by: string): Promise<ChangeResult> {
  const input = parseInput(addMemberSchema(today), raw);
  const { member } = input;
  try {
    return await db.transaction(async (tx) => {
      const household = await lockHousehold(tx, input.householdId);
      const members = await currentMembers(tx, household.id);
      if (members.length >= MAX_MEMBERS) throw badUserInput('input.member', `the household has ${MAX_MEMBERS} members, the most allowed`);
      const records = await tx.select().from(persons).where(eq(persons.residentId, member.residentId));
      if (records.some((p) => p.leftReason === 'DIED')) throw badUserInput('input.member.residentId', 'recorded as deceased');
      const current = records.find((p) => p.leftOn === null);
      if (current) {
        throw badUserInput(
          'input.member.residentId',
          current.householdId === household.id
            ? 'already a member of this household'
            : 'a current member of another household: record their leaving there first',
        );
      }
      const [person] = await tx
        .insert(persons)
        .values({
          householdId: household.id,
          residentId: member.residentId,
          name: member.name,
          birthDate: member.birthDate,
          sex: member.sex,
          relation: member.relation,
        })
        .returning();
      const record = recorder(tx, input, input.effectiveOn, today, by);
      return { household, changes: [await record('MEMBER_ADDED', person!.id, null, personView(person!))] };
    });
  } catch (error) {
    // the same person added to two households at once: the partial unique index lets one through
    if (isUniqueViolation(error)) throw badUserInput('input.member.residentId', 'became a member of a household meanwhile');
    throw error;
  }
}

interface Leaving extends Common {
  residentId: string;
  newHead?: string | null;
  relations?: { residentId: string; relation: Relation }[] | null;
}

/** A member leaves (moves out, dies): the last member cannot, and the head only with a new head named. */
async function memberLeaves(db: Db, input: Leaving, leftOn: string, reason: 'MOVED_OUT' | 'OTHER' | 'DIED', today: string, by: string): Promise<ChangeResult> {
  return db.transaction(async (tx) => {
    const household = await lockHousehold(tx, input.householdId);
    const members = await currentMembers(tx, household.id);
    const leaving = members.find((m) => m.residentId === input.residentId);
    if (!leaving) throw badUserInput('input.residentId', 'not a current member of this household');
    if (leftOn < leaving.birthDate) throw badUserInput(reason === 'DIED' ? 'input.diedOn' : 'input.effectiveOn', 'must not be before the member was born');
    const remaining = members.filter((m) => m.id !== leaving.id);
    if (remaining.length === 0) {
      throw badUserInput(
        'input.residentId',
        'the last member of the household cannot leave it: the household leaves the programme through an exit case instead',
      );
    }
    const succession: { residentId: string; relation: Relation }[] = [];
    if (leaving.relation === 'HEAD') {
      if (!input.newHead) throw badUserInput('input.newHead', 'the head is leaving: name the member who heads the household now');
      if (input.newHead === leaving.residentId) throw badUserInput('input.newHead', 'must be a member who stays');
      succession.push({ residentId: input.newHead, relation: 'HEAD' });
    } else if (input.newHead) {
      throw badUserInput('input.newHead', 'only when the head leaves: change relations with changeMemberRelation');
    }
    const restated = input.relations ?? [];
    if (restated.some((r) => r.residentId === input.newHead)) {
      throw badUserInput(`input.relations[${restated.findIndex((r) => r.residentId === input.newHead)}].residentId`, 'is the new head');
    }
    await tx.update(persons).set({ leftOn, leftReason: reason }).where(eq(persons.id, leaving.id));
    const record = recorder(tx, input, leftOn, today, by);
    const left = await record(
      reason === 'DIED' ? 'MEMBER_DIED' : 'MEMBER_LEFT',
      leaving.id,
      personView(leaving),
      personView({ ...leaving, leftOn, leftReason: reason }),
    );
    const all = [...succession, ...restated];
    const field = (i: number) => (i < succession.length ? 'input.newHead' : `input.relations[${i - succession.length}].residentId`);
    const relations = await applyRelations(tx, remaining, all, field, record);
    return { household, changes: [left, ...relations] };
  });
}

export async function removeHouseholdMember(db: Db, raw: unknown, today: string, by: string): Promise<ChangeResult> {
  const input = parseInput(removeMemberSchema(today), raw);
  return memberLeaves(db, input, input.effectiveOn, input.reason, today, by);
}

export async function recordMemberDeath(db: Db, raw: unknown, today: string, by: string): Promise<ChangeResult> {
  const input = parseInput(memberDeathSchema(today), raw);
  return memberLeaves(db, input, input.diedOn, 'DIED', today, by);
}

/** One or more members' relations to the head, applied together: naming a new head restates the old one's relation in the same call. */
export async function changeMemberRelation(db: Db, raw: unknown, today: string, by: string): Promise<ChangeResult> {
  const input = parseInput(relationChangeSchema(today), raw);
  return db.transaction(async (tx) => {
    const household = await lockHousehold(tx, input.householdId);
    const members = await currentMembers(tx, household.id);
    const record = recorder(tx, input, input.effectiveOn, today, by);
    const changes = await applyRelations(tx, members, input.changes, (i) => `input.changes[${i}].residentId`, record);
    if (changes.length === 0) throw badUserInput('input.changes', 'changes nothing: every member already has that relation');
    return { household, changes };
  });
}

const housingView = (h: CurrentHousingRow | null | undefined) => (h ? { floorArea: h.floorArea, tenure: h.tenure } : null);

export async function changeCurrentHousing(db: Db, raw: unknown, today: string, by: string): Promise<ChangeResult> {
  const input = parseInput(housingChangeSchema(today), raw);
  return db.transaction(async (tx) => {
    const household = await lockHousehold(tx, input.householdId);
    const [before] = await tx.select().from(currentHousing).where(eq(currentHousing.householdId, household.id));
    if (before && before.floorArea === input.floorArea && before.tenure === input.tenure) {
      throw badUserInput('input.floorArea', 'changes nothing: the household already lives in that housing');
    }
    const after = { householdId: household.id, floorArea: input.floorArea, tenure: input.tenure };
    await tx
      .insert(currentHousing)
      .values(after)
      .onConflictDoUpdate({ target: currentHousing.householdId, set: { floorArea: after.floorArea, tenure: after.tenure } });
    const record = recorder(tx, input, input.effectiveOn, today, by);
    return { household, changes: [await record('HOUSING_CHANGED', null, housingView(before), housingView(after))] };
  });
}
