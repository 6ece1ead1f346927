// Resident IDs are masked (first 6 and last 4) everywhere the API answers, in one pass over the
// response: nested values, JSON evidence, alert summaries and error messages alike. Only the values
// a resolver released with a stated purpose (Person.identity) are left whole, by their exact path.
import { maskResidentIdsShown } from '../domain/resident-id.js';

type Path = readonly (string | number)[];

export const pathKey = (path: Path) => path.join('.');

/** Masks in place; `released` holds the response paths (info.path) whose subtree stays whole. */
export function maskResponse(value: unknown, released: ReadonlySet<string>): unknown {
  return walk(value, released.size ? [] : null, released);
}

function walk(value: unknown, path: (string | number)[] | null, released: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return maskResidentIdsShown(value);
  if (value === null || typeof value !== 'object') return value;
  if (path && path.length && released.has(pathKey(path))) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path?.push(i);
      value[i] = walk(value[i], path, released);
      path?.pop();
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    path?.push(key);
    record[key] = walk(record[key], path, released);
    path?.pop();
  }
  return value;
}
