// CI proves composition: the hub's published subgraph SDL and an agency subgraph that extends Person
// compose into a supergraph with no errors and no hints but those accepted here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SDL } from '../src/schema.js';

const AGENCY_SDL = fileURLToPath(new URL('./fixtures/federation/agency.subgraph.graphql', import.meta.url));

/** hints the composition may give that were looked at and accepted (none so far) */
const ACCEPTED_HINTS: string[] = [];

describe('supergraph composition', () => {
  const result = composeServices([
    { name: 'hub', typeDefs: parse(readFileSync(PUBLISHED_SDL, 'utf8')), url: 'http://hub:4000/graphql' },
    { name: 'agency', typeDefs: parse(readFileSync(AGENCY_SDL, 'utf8')), url: 'http://agency:4100/graphql' },
  ]);

  it('composes the published hub SDL with an agency subgraph without errors', () => {
    expect(result.errors?.map((e) => e.message) ?? []).toEqual([]);
  });

  it('gives no hint that was not accepted', () => {
    // @theguild/federation-composition 0.27 reports hints on the result when it has any
    const hints = ((result as { hints?: { message: string }[] }).hints ?? []).map((h) => h.message);
    expect(hints.filter((h) => !ACCEPTED_HINTS.includes(h))).toEqual([]);
  });

  it('joins the agency’s nullable field onto the hub’s Person, and keeps the hub’s entities whole', () => {
    const publicSdl = result.publicSdl ?? '';
    expect(publicSdl).toMatch(/type Person \{[^}]*pensionStatus: String\n/);
    expect(publicSdl).toMatch(/type Person \{[^}]*residentId: String!/);
    for (const entity of ['Household', 'HousingUnit', 'District']) expect(publicSdl).toContain(`type ${entity} {`);
    expect(result.supergraphSdl).toContain('@join__type(graph: HUB, key: "id")');
  });
});
