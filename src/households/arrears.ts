// KC-19(2): rent unpaid for 6 or more months *in total* ends the lease; the months need not be consecutive.
export interface LedgerLine {
  month: string;
  amountDue: number;
  amountPaid: number;
}

export interface ArrearsSummary {
  monthsUnpaid: number;
  amountOutstanding: number;
  oldestUnpaidMonth: string | null;
}

/** A month is due once it has begun; it is unpaid while less than the amount due was paid. */
export function isUnpaid(line: LedgerLine, asOf: string): boolean {
  return line.month <= asOf && line.amountPaid < line.amountDue;
}

export function summarizeArrears(ledger: readonly LedgerLine[], asOf: string): ArrearsSummary {
  let monthsUnpaid = 0;
  let outstandingCents = 0;
  let oldest: string | null = null;
  for (const line of ledger) {
    if (!isUnpaid(line, asOf)) continue;
    monthsUnpaid += 1;
    outstandingCents += Math.round(line.amountDue * 100) - Math.round(line.amountPaid * 100);
    if (oldest === null || line.month < oldest) oldest = line.month;
  }
  return { monthsUnpaid, amountOutstanding: outstandingCents / 100, oldestUnpaidMonth: oldest };
}
