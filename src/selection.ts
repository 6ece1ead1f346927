// What a field's selection asks for, read from the query (through fragments): a resolver reading a
// page's records at once reads what the page's fields will need, and nothing they will not.
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type Info = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

/** the names of the fields asked for on the objects the field returns, or on those under its field `under` (a connection's `nodes`) */
export function selectedFields(info: Info, under?: string): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const fields = (set: SelectionSetNode | undefined, visit: (field: FieldNode) => void): void => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) visit(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) fields(s.selectionSet, visit);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        fields(info.fragments[s.name.value]?.selectionSet, visit);
      }
    }
  };
  const collect = (field: FieldNode) => names.add(field.name.value);
  for (const node of info.fieldNodes) {
    if (under === undefined) fields(node.selectionSet, collect);
    else fields(node.selectionSet, (field) => field.name.value === under && fields(field.selectionSet, collect));
  }
  return names;
}

/** whether the field's selection asks for one of `names` on the objects it returns */
export function selects(info: Info, names: ReadonlySet<string>): boolean {
  for (const name of selectedFields(info)) if (names.has(name)) return true;
  return false;
}
