// Guiyang waitlist points (002): housing condition, family structure, special difficulty, years on
// rent subsidy. Band edges follow the source's words; the points are policy parameters.
import type { Parameters } from './engine.js';

export interface ScoreFacts {
  /** null when the household has no housing at all */
  perCapitaArea: number | null;
  generations: number;
  specialDifficulties: ('MODEL_WORKER_OR_SPECIAL_CARE' | 'LONELY_ELDERLY' | 'DISABILITY_1' | 'DISABILITY_2' | 'DISABILITY_3')[];
  /** years already receiving rent subsidy; null when not subsidised */
  subsidyYears: number | null;
}

export interface ScoreComponent {
  points: number;
  basis: string;
  /** the POINTS.* parameters counted (empty: none earned) */
  codes: string[];
  /** m² per person, generations or years on subsidy; null when not measured */
  measure: number | null;
}

export interface WaitlistScore {
  total: number;
  housing: ScoreComponent;
  familyStructure: ScoreComponent;
  specialDifficulty: ScoreComponent;
  subsidyYears: ScoreComponent;
}

const points = (p: Parameters, code: string) => p.get(`POINTS.${code}`)?.value ?? 0;

export function housingBand(a: number | null): string | null {
  if (a === null) return 'AREA_NONE';
  if (a < 2) return 'AREA_UNDER_2';
  if (a <= 4) return 'AREA_2_TO_4';
  if (a <= 6) return 'AREA_4_TO_6';
  if (a <= 8) return 'AREA_6_TO_8';
  if (a <= 10) return 'AREA_8_TO_10';
  if (a <= 12) return 'AREA_10_TO_12';
  return null;
}

export function subsidyBand(y: number | null): string | null {
  if (y === null) return null;
  if (y > 3) return 'SUBSIDY_OVER_3';
  if (y > 2) return 'SUBSIDY_2_TO_3';
  if (y > 1) return 'SUBSIDY_1_TO_2';
  if (y >= 0.5) return 'SUBSIDY_HALF_TO_1';
  return 'SUBSIDY_UNDER_HALF';
}

export function guiyangScore(f: ScoreFacts, p: Parameters): WaitlistScore {
  const band = housingBand(f.perCapitaArea);
  const housing = {
    points: band ? points(p, band) : 0,
    basis: f.perCapitaArea === null ? 'no housing' : `${f.perCapitaArea.toFixed(2)} m² per person`,
    codes: band ? [`POINTS.${band}`] : [],
    measure: f.perCapitaArea,
  };
  const gen = Math.min(3, Math.max(1, f.generations));
  const familyStructure = {
    points: points(p, `GENERATIONS_${gen}`),
    basis: `${f.generations} generation(s)`,
    codes: [`POINTS.GENERATIONS_${gen}`],
    measure: f.generations,
  };
  const special = f.specialDifficulties.map((d) => points(p, d));
  const addUp = points(p, 'SPECIAL_ADD_UP') === 1;
  // the highest only, unless the bureau adds them up: the codes name the ones counted
  const highest = special.length ? f.specialDifficulties[special.indexOf(Math.max(...special))]! : null;
  const specialDifficulty = {
    points: special.length === 0 ? 0 : addUp ? special.reduce((a, b) => a + b, 0) : Math.max(...special),
    basis: f.specialDifficulties.length ? f.specialDifficulties.join(', ') : 'none recorded',
    codes: (addUp ? [...new Set(f.specialDifficulties)] : highest ? [highest] : []).map((d) => `POINTS.${d}`),
    measure: null,
  };
  const sBand = subsidyBand(f.subsidyYears);
  const subsidyYears = {
    points: sBand ? points(p, sBand) : 0,
    basis: f.subsidyYears === null ? 'not subsidised' : `${f.subsidyYears.toFixed(2)} years`,
    codes: sBand ? [`POINTS.${sBand}`] : [],
    measure: f.subsidyYears,
  };
  return {
    total: housing.points + familyStructure.points + specialDifficulty.points + subsidyYears.points,
    housing,
    familyStructure,
    specialDifficulty,
    subsidyYears,
  };
}

/** Each relation's generation relative to the head's (older negative). OTHER (a carer, a lodger) says nothing of the family's generations. */
export const GENERATION_OFFSET: Readonly<Record<string, number | null>> = {
  HEAD: 0,
  SPOUSE: 0,
  SIBLING: 0,
  SIBLING_IN_LAW: 0,
  PARENT: -1,
  PARENT_IN_LAW: -1,
  UNCLE_OR_AUNT: -1,
  GRANDPARENT: -2,
  CHILD: 1,
  CHILD_IN_LAW: 1,
  NEPHEW_OR_NIECE: 1,
  GRANDCHILD: 2,
  GREAT_GRANDCHILD: 3,
  OTHER: null,
};

/** Generations present: the distinct offsets of the members' relations (a grandmother with her grandchildren: two). */
export function generationsOf(relations: readonly string[]): number {
  const offsets = new Set<number>();
  for (const r of relations) {
    const offset = GENERATION_OFFSET[r];
    if (offset !== null && offset !== undefined) offsets.add(offset);
  }
  return Math.max(1, offsets.size);
}
