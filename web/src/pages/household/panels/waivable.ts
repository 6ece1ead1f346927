// Which criteria a manager may waive for one household: those a policy flags EXCEPTION_ALLOWED.<criterion> = 1.
const ALLOWED = 'EXCEPTION_ALLOWED.';

export interface PolicyParameters {
  id: string;
  name: string;
  parameters: { code: string; value: number }[];
}

export function waivable(policies: PolicyParameters[]): { policyId: string; policyName: string; criterion: string }[] {
  return policies.flatMap((p) =>
    p.parameters
      .filter((x) => x.code.startsWith(ALLOWED) && x.value === 1)
      .map((x) => ({ policyId: p.id, policyName: p.name, criterion: x.code.slice(ALLOWED.length) })),
  );
}
