import { useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';

/** keyset paging state: the cursor of each page seen, so "first" and "next" work as the API pages */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    next: (endCursor: string | null | undefined) => endCursor && setCursors((c) => [...c, endCursor]),
    reset: () => setCursors([null]),
  };
}

/** filters kept in the URL (a link shares them; back and forward restore them) with the pager they
 * reset: value(key) is '' when unset; setFilter writes one (empty removes it); bind(key) feeds a
 * FilterSelect. The history entry's state rides along unless one is given: a resident ID searched is
 * kept there, out of the address bar, and must survive a change of filter. */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const pages = useCursorPages();
  const setFilter = (key: string, value: string, state: unknown = location.state) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { state });
    pages.reset();
  };
  const value = (key: string) => params.get(key) ?? '';
  const bind = (key: string) => ({ value: value(key), onChange: (v: string) => setFilter(key, v) });
  return { value, setFilter, bind, pages };
}
