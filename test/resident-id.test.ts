import { describe, expect, it } from 'vitest';
import { checkCharacter, makeResidentId, maskName, maskResidentId, maskResidentIdsIn, parseResidentId } from '../src/domain/resident-id.js';

describe('resident identity number (GB 11643-1999)', () => {
  it('computes the ISO 7064 MOD 11-2 check character, X standing for 10', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(checkCharacter('44052418800101001')).toBe('4');
  });

  it('accepts a valid number and reads birth date and sex from it', () => {
    expect(parseResidentId('11010519491231002X')).toEqual({
      ok: true,
      parts: { areaCode: '110105', birthDate: '1949-12-31', sex: 'FEMALE' },
    });
    expect(parseResidentId('11010519491231002x').ok).toBe(true);
    const man = makeResidentId('130827', '1990-02-28', 123, 'MALE');
    expect(parseResidentId(man)).toMatchObject({ ok: true, parts: { sex: 'MALE', birthDate: '1990-02-28' } });
  });

  it('rejects a wrong check character, saying which one was expected', () => {
    expect(parseResidentId('110105194912310021')).toEqual({
      ok: false,
      reason: 'wrong check character: expected X, got 1',
    });
  });

  it('rejects wrong shapes and impossible birth dates', () => {
    expect(parseResidentId('11010519491231002').ok).toBe(false);
    expect(parseResidentId('1101051949123100XX').ok).toBe(false);
    const feb30 = '13082719900230001';
    expect(parseResidentId(feb30 + checkCharacter(feb30))).toEqual({ ok: false, reason: 'birth date part is not a real date' });
  });

  it('masks all but the first 6 and last 4 characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
    expect(maskResidentIdsIn('member 11010519491231002X is listed twice')).toBe('member 110105********002X is listed twice');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('李*');
  });
});
