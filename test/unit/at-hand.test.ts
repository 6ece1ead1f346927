import { parse, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AtHandLoader, whenAtHand } from '../../src/db/at-hand.js';
import { selectedFields, selects } from '../../src/selection.js';

function counting() {
  const batches: number[][] = [];
  const loader = new AtHandLoader<number, string | null>(async (keys) => {
    batches.push([...keys]);
    return keys.map((k) => (k > 0 ? `v${k}` : null));
  }, 100);
  return { loader, batches };
}

describe('AtHandLoader', () => {
  it('batches like DataLoader, then answers the keys it read without a promise', async () => {
    const { loader, batches } = counting();
    expect(loader.peek(1)).toBeUndefined();
    expect(loader.get(1)).toBeInstanceOf(Promise);
    await loader.loadMany([1, 2, -3]);
    expect(batches).toEqual([[1, 2, -3]]);
    expect(loader.peek(2)).toBe('v2');
    expect(loader.get(2)).toBe('v2');
    // a key answered null is at hand too: null, not undefined
    expect(loader.peek(-3)).toBeNull();
    expect(batches).toHaveLength(1);
  });

  it('keeps prime and clear in step with its cache', async () => {
    const { loader, batches } = counting();
    loader.prime(5, 'primed');
    expect(loader.get(5)).toBe('primed');
    loader.clear(5);
    expect(loader.peek(5)).toBeUndefined();
    expect(await loader.load(5)).toBe('v5');
    loader.clearAll();
    expect(loader.peek(5)).toBeUndefined();
    expect(batches).toEqual([[5]]);
  });

  it('whenAtHand applies at once to a value at hand, later to a promise', async () => {
    expect(whenAtHand(2, (n) => n * 2)).toBe(4);
    const later = whenAtHand(Promise.resolve(2), (n) => n * 2);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(4);
  });
});

describe('selectedFields', () => {
  const infoOf = (query: string): Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'> => {
    const document = parse(query);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
    );
    return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
  };

  it('reads the fields asked on the objects a field returns, through fragments, or under its connection nodes', () => {
    const info = infoOf(`
      { households { totalCount nodes { id ...H ... on Household { tenancy { id } } } } }
      fragment H on Household { district { name } members { vehicles { plate } } }
    `);
    expect(selectedFields(info)).toEqual(new Set(['totalCount', 'nodes']));
    expect(selectedFields(info, 'nodes')).toEqual(new Set(['id', 'district', 'members', 'tenancy']));
    expect(selects(info, new Set(['nodes']))).toBe(true);
    expect(selects(info, new Set(['district']))).toBe(false);
  });
});
