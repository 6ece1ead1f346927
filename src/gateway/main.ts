// `npm run gateway`: Hive Gateway in front of the hub and the subgraphs GATEWAY_SUBGRAPHS names.
import { ConfigError } from '../config.js';
import { loadGatewayConfig, type GatewayConfig } from './config.js';
import { createGateway } from './gateway.js';

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadGatewayConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const gateway = await createGateway({
    subgraphs: config.subgraphs,
    hmacSecret: config.GATEWAY_HMAC_SECRET,
    timeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
    retries: config.GATEWAY_UPSTREAM_RETRIES,
    logging: config.GATEWAY_LOG_LEVEL,
  });
  const url = await gateway.listen(config.GATEWAY_PORT, config.GATEWAY_HOST);
  process.stdout.write(`${JSON.stringify({ msg: 'gateway listening', url, subgraphs: config.subgraphs.map((s) => `${s.name}=${s.url}`) })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
