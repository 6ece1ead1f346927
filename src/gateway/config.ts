// The gateway's environment (npm run gateway), validated like the hub's: a bad value stops it with every problem listed.
import { z } from 'zod';
import { ConfigError } from '../config.js';
import { PUBLISHED_SDL } from '../schema.js';
import type { SubgraphSource } from './gateway.js';

const schema = z.object({
  GATEWAY_PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(4100),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  /** name=url pairs, comma-separated; the subgraph named "hub" is composed from the hub's published SDL */
  GATEWAY_SUBGRAPHS: z.string().default('hub=http://127.0.0.1:4000/graphql'),
  GATEWAY_HMAC_SECRET: z
    .string({ message: 'is required: the hub answers _entities only for requests signed with it' })
    .min(32, 'must be at least 32 characters'),
  GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  GATEWAY_UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  GATEWAY_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type GatewayConfig = z.infer<typeof schema> & { subgraphs: SubgraphSource[] };

export function parseSubgraphs(list: string): SubgraphSource[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=');
      const name = entry.slice(0, at).trim();
      const url = entry.slice(at + 1).trim();
      if (at <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ConfigError([`GATEWAY_SUBGRAPHS: "${entry}" is not name=url`]);
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new ConfigError([`GATEWAY_SUBGRAPHS: ${name}'s URL "${url}" is not http(s)`]);
      return name === 'hub' ? { name, url, sdlFile: PUBLISHED_SDL } : { name, url };
    });
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return { ...parsed.data, subgraphs: parseSubgraphs(parsed.data.GATEWAY_SUBGRAPHS) };
}
