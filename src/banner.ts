// What `npm start` prints once the hub listens. Demo tokens only where the signing key was made for
// this run (no AUTH_JWT_SECRET, not production): then they die with the process. With the
// operator's key a printed token would stay valid after a restart, in whatever keeps the console.
import type { CallerClaims } from './auth/caller.js';
import type { Config } from './config.js';
import type { Hub } from './server.js';

const DEMO_CALLERS: [string, CallerClaims][] = [
  ['ADMIN', { sub: 'demo-admin', role: 'ADMIN' }],
  ['MANAGER', { sub: 'demo-manager', role: 'MANAGER' }],
  ['CASEWORKER (district KC-KCZ)', { sub: 'demo-caseworker', role: 'CASEWORKER', districts: ['KC-KCZ'] }],
  ['AGENCY (utilities)', { sub: 'demo-utilities', role: 'AGENCY', agency: 'utilities' }],
  ['AUDITOR', { sub: 'demo-auditor', role: 'AUDITOR' }],
  ['ALERT_CONSUMER (district KC-KCZ)', { sub: 'demo-alerts', role: 'ALERT_CONSUMER', districts: ['KC-KCZ'] }],
];

/** one token per role, so a newcomer can try each; none where the key is the operator's */
export async function demoTokens(hub: Pick<Hub, 'authenticator'>, config: Pick<Config, 'NODE_ENV' | 'AUTH_JWT_SECRET'>): Promise<[string, string][]> {
  if (config.NODE_ENV === 'production' || config.AUTH_JWT_SECRET) return [];
  return Promise.all(DEMO_CALLERS.map(async ([label, claims]) => [label, await hub.authenticator.issue(claims)] as [string, string]));
}

export function startupBanner(options: { url: string; database: string; tokens: [string, string][]; operatorKey: boolean }): string {
  const { url, database, tokens, operatorKey } = options;
  const credentials = tokens.length
    ? `Demo tokens (12 h, signed with a key made for this run):
${tokens.map(([label, token]) => `  ${label.padEnd(44)} ${token}`).join('\n')}
`
    : operatorKey
      ? `Tokens come from your identity provider (AUTH_JWT_SECRET is set), or make an API key: npm run admin -- create-api-key
`
      : '';
  return `
Housing verification hub ready at ${url}  (database: ${database})
Dashboard: ${url.replace('/graphql', '/')}${tokens.length ? '  (sign in with a demo role)' : ''}
${credentials}Try:
  TOKEN=<${tokens.length ? 'a token above' : 'your token'}>
  curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
    -d '{"query":"{ households(first: 3) { totalCount nodes { id status district { name } size currentHousing { perCapitaArea } tenancy { arrears { monthsUnpaid amountOutstanding } } } } }"}'
Health: ${url.replace('/graphql', '/healthz')}   Readiness: ${url.replace('/graphql', '/readyz')}
`;
}
