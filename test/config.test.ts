import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults to the embedded database in ./data on port 4000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 4000, DATA_DIR: './data', SEED_DEMO: true, DEMO_HOUSEHOLDS: 200 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).PORT).toBe(4000);
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO: must be true or false/);
    expect(() => loadConfig({ MAX_PAGE_SIZE: '0' })).toThrow(/MAX_PAGE_SIZE/);
    expect(() => loadConfig({ REVIEW_DAILY_CRON: 'daily' })).toThrow(/REVIEW_DAILY_CRON: must be a cron of 5 fields/);
    expect(() => loadConfig({ REVIEW_DAILY_CRON: '0 1 * *' })).toThrow(/REVIEW_DAILY_CRON/);
  });

  it('takes a cron of 5 fields, or off', () => {
    expect(loadConfig({ REVIEW_DAILY_CRON: '*/15 1-5 * * 1,3' }).REVIEW_DAILY_CRON).toBe('*/15 1-5 * * 1,3');
    expect(loadConfig({ REVIEW_DAILY_CRON: 'off' }).REVIEW_DAILY_CRON).toBe('off');
  });

  it('accepts a PostgreSQL URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/hub' }).DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/hub');
  });
});
