// npm run gateway's environment: defaults, the subgraph list, and refusals with every problem named.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { loadGatewayConfig, parseSubgraphs } from '../../src/gateway/config.js';
import { PUBLISHED_SDL } from '../../src/schema.js';

const SECRET = 'gateway-hmac-secret-of-at-least-32-chars';

describe('gateway configuration', () => {
  it('defaults to the hub on port 4000, listening on 4100, 10 s upstream timeout, 2 retries', () => {
    const config = loadGatewayConfig({ GATEWAY_HMAC_SECRET: SECRET });
    expect(config).toMatchObject({ GATEWAY_PORT: 4100, GATEWAY_UPSTREAM_TIMEOUT_MS: 10_000, GATEWAY_UPSTREAM_RETRIES: 2 });
    expect(config.subgraphs).toEqual([{ name: 'hub', url: 'http://127.0.0.1:4000/graphql', sdlFile: PUBLISHED_SDL }]);
  });

  it('reads name=url pairs: the hub from its published SDL, any other subgraph asked for its own', () => {
    expect(parseSubgraphs('hub=http://hub:4000/graphql, pensions=https://pensions.example/graphql')).toEqual([
      { name: 'hub', url: 'http://hub:4000/graphql', sdlFile: PUBLISHED_SDL },
      { name: 'pensions', url: 'https://pensions.example/graphql' },
    ]);
  });

  it('refuses a missing or short secret and a malformed subgraph', () => {
    expect(() => loadGatewayConfig({})).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ GATEWAY_HMAC_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => parseSubgraphs('http://hub:4000/graphql')).toThrow(/not name=url/);
    expect(() => parseSubgraphs('hub=ftp://hub/graphql')).toThrow(/not http/);
  });
});
