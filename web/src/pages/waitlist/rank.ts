// What the waitlist's explanation says without the DOM: which sentence explains a rank (after the
// API's orderedBy) with the facts it quotes, and the label key of a points band.

export type WaitlistOrder = 'FIRST' | 'FEWER_POINTS' | 'LATER_APPLICATION' | 'LATER_REGISTRATION';

export interface RankFacts {
  rank: number;
  orderedBy: WaitlistOrder;
  points: number;
  /** YYYY-MM-DD */
  applicationDate: string;
  name: string;
}

export interface RankReason {
  /** the i18n key of the sentence */
  key: `waitlist.order.${WaitlistOrder}`;
  /** the facts it quotes (dates as YYYY-MM-DD, formatted by the screen) */
  values: { points: number; rank?: number; name?: string; abovePoints?: number; date?: string; aboveDate?: string };
}

/** the sentence for `position`, quoting the household ranked just above it where the rule compares the two */
export function rankReason(position: RankFacts, above: RankFacts | undefined): RankReason {
  // the API says why; without the household above (a list cut short) only the first place can be told
  const order: WaitlistOrder = above ? position.orderedBy : 'FIRST';
  const values: RankReason['values'] = { points: position.points };
  if (order !== 'FIRST' && above) {
    values.rank = above.rank;
    values.name = above.name;
    if (order === 'FEWER_POINTS') values.abovePoints = above.points;
    if (order === 'LATER_APPLICATION') {
      values.date = position.applicationDate;
      values.aboveDate = above.applicationDate;
    }
    if (order === 'LATER_REGISTRATION') values.date = position.applicationDate;
  }
  return { key: `waitlist.order.${order}`, values };
}

/** "POINTS.AREA_2_TO_4" → "waitlist.code.AREA_2_TO_4" */
export function bandKey(code: string): string {
  return `waitlist.code.${code.replace(/^POINTS\./, '')}`;
}
