// What a field's selection asks for, read from the query (through fragments): a resolver reading a
// page's records at once reads what the page's fields will need, and nothing they will not.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type Info = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/**
 * the names of the fields asked for on the objects the field returns, or on those under its field `under` (a
 * connection's `nodes`), or under a path of fields (`['nodes', 'tenancy']`)
 */
export function selectedFields(info: Info, under?: string | readonly string[]): Set<string> {
  const names = new Set<string>();
  // each fragment spread once per selection set walked (valid queries have no cycles; this also keeps a repeated spread cheap)
  const fields = (set: SelectionSetNode | undefined, visit: (field: FieldNode) => void, seen = new Set<string>()): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) visit(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) fields(s.selectionSet, visit, seen);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        fields(info.fragments[s.name.value]?.selectionSet, visit, seen);
      }
    }
  };
  const path = under === undefined ? [] : typeof under === 'string' ? [under] : under;
  const walk = (set: SelectionSetNode | undefined, depth: number): void => {
    if (depth === path.length) fields(set, (field) => names.add(field.name.value));
    else fields(set, (field) => field.name.value === path[depth] && walk(field.selectionSet, depth + 1));
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, 0);
  return names;
}

/** whether the field's selection asks for one of `names` on the objects it returns */
export function selects(info: Info, names: ReadonlySet<string>): boolean {
  for (const name of selectedFields(info)) if (names.has(name)) return true;
  return false;
}
