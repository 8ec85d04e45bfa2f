import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/dateline.db',
      baseUrl: 'http://localhost:3000',
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1/dateline',
      BASE_URL: 'https://www.example.org/',
      MEDIA_DIR: '/srv/media',
      LOG_LEVEL: 'WARN',
      LOG_FORMAT: 'JSON',
      RATE_LIMIT: '120',
      TRUST_PROXY: '10.0.0.1, 10.0.0.2',
      SEARCH_TIMEOUT_MS: '500',
      INDEX_SNAPSHOT: '/var/cache/dateline/index',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://postgres@127.0.0.1/dateline',
      baseUrl: 'https://www.example.org',
      mediaDir: '/srv/media',
      logLevel: 'warn',
      logFormat: 'json',
      rateLimitPerMinute: 120,
      trustProxy: ['10.0.0.1', '10.0.0.2'],
      searchTimeoutMs: 500,
      indexSnapshot: '/var/cache/dateline/index',
    });
  });

  it('keeps the index snapshot beside a SQLite file by default, nowhere for memory or when off', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/srv/dateline.db' }).indexSnapshot).toBe('/srv/dateline.db.index');
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).indexSnapshot).toBeNull();
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1/dateline' }).indexSnapshot).toBeNull();
    expect(loadConfig({ DATABASE_URL: 'sqlite:/srv/dateline.db', INDEX_SNAPSHOT: 'off' }).indexSnapshot).toBeNull();
  });

  it('logs readable lines to a terminal and JSON elsewhere, unless LOG_FORMAT says', () => {
    const terminal = process.stdout.isTTY;
    try {
      process.stdout.isTTY = true;
      expect(loadConfig({}).logFormat).toBe('pretty');
      expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
      process.stdout.isTTY = false;
      expect(loadConfig({}).logFormat).toBe('json');
      expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    } finally {
      process.stdout.isTTY = terminal;
    }
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT "xml" must be pretty or json/);
  });

  it('reports every problem at once, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        BASE_URL: 'ftp://x',
        LOG_LEVEL: 'loud',
        RATE_LIMIT: 'lots',
        TRUST_PROXY: 'my proxy',
        SEARCH_TIMEOUT_MS: '5',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(7);
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'PORT',
      'DATABASE_URL',
      'BASE_URL',
      'LOG_LEVEL',
      'RATE_LIMIT',
      'TRUST_PROXY',
      'SEARCH_TIMEOUT_MS',
    ]);
  });
});
