// Resident identity numbers, GB 11643-1999: area(6) birth date(8) sequence(3) check(1).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export interface ResidentIdParts {
  areaCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'MALE' | 'FEMALE';
}

export type ResidentIdCheck = { ok: true; parts: ResidentIdParts } | { ok: false; reason: string };

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function parseResidentId(value: string): ResidentIdCheck {
  const id = value.toUpperCase();
  if (!SHAPE.test(id)) return { ok: false, reason: 'must be 17 digits followed by a digit or X' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || !isRealDate(y, m, d)) return { ok: false, reason: 'birth date part is not a real date' };
  const expected = checkCharacter(id.slice(0, 17));
  if (id[17] !== expected) return { ok: false, reason: `wrong check character: expected ${expected}, got ${id[17]}` };
  return {
    ok: true,
    parts: {
      areaCode: id.slice(0, 6),
      birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
      sex: Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
    },
  };
}

/** Builds a valid ID; used by the demo generator and tests. Sequences 0-499 give distinct IDs per sex. */
export function makeResidentId(areaCode: string, birthDate: string, sequence: number, sex: 'MALE' | 'FEMALE'): string {
  // the third sequence digit carries sex: odd for men
  const base = Math.floor(sequence / 5) % 100;
  const last = (sequence % 5) * 2 + (sex === 'MALE' ? 1 : 0);
  const first17 = `${areaCode}${birthDate.replaceAll('-', '')}${String(base).padStart(2, '0')}${last}`;
  return first17 + checkCharacter(first17);
}

/** First 6 and last 4 shown: enough to tell records apart in a log, not enough to identify someone. */
export function maskResidentId(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** A name keeps its first character (the family name): 张** */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 6-digit area, 8-digit birth date, 3-digit sequence and check character */
const ID_SHAPED = /\b(\d{6})(\d{8})(\d{3}[\dXx])\b/g;

/** Masks everything shaped like a resident ID in free text (error messages, log lines). */
export function maskResidentIdsIn(text: string): string {
  return text.replace(ID_SHAPED, (_m, head: string, _birth: string, tail: string) => `${head}********${tail}`);
}

const BIRTH_DATE = /^(18|19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

/**
 * Masks the resident IDs in text shown to API callers: 18 characters whose middle 8 are a birth
 * date. Other 18-character codes (a business's unified social credit code) are left readable.
 */
export function maskResidentIdsShown(text: string): string {
  if (text.length < 18) return text;
  return text.replace(ID_SHAPED, (m, head: string, birth: string, tail: string) => (BIRTH_DATE.test(birth) ? `${head}********${tail}` : m));
}
