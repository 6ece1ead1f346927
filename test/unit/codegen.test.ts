// The committed resolver types follow the SDL: change a .graphql file, run `npm run codegen`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate, OUTPUT } from '../../codegen.js';

describe('generated resolver types', () => {
  it(`${OUTPUT} is what codegen makes of schema/ now`, async () => {
    const committed = readFileSync(fileURLToPath(new URL(`../../${OUTPUT}`, import.meta.url)), 'utf8');
    expect(committed === (await generate()), `${OUTPUT} is stale: run npm run codegen`).toBe(true);
  });
});
