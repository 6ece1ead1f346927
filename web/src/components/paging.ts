import { useState } from 'react';

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
