// Which external tools the heavy test suites need, and what to do when one is missing:
// on CI (CI=true) they must run, so a missing tool fails the suite; on a developer machine
// the suite is skipped with a loud warning saying how to enable it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** True on the CI machine (`CI=true`, as set by .ci/run and most CI services). */
export const IN_CI = ['true', '1', 'yes'].includes((process.env.CI ?? '').toLowerCase());

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The Java launcher for vnu.jar (JAVA overrides `java` on the PATH). */
export const JAVA = process.env.JAVA ?? 'java';
export const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');

export interface ToolCheck {
  available: boolean;
  /** Why the tool cannot be used (empty when available). */
  reason: string;
}

export function checkChromium(): ToolCheck {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    return {
      available: false,
      reason: `Chromium not found at ${CHROMIUM_PATH} (install it with "apt-get install chromium" or set CHROMIUM_PATH)`,
    };
  }
  return { available: true, reason: '' };
}

export function checkJava(): ToolCheck {
  if (!fs.existsSync(VNU_JAR)) return { available: false, reason: `vnu.jar not found at ${VNU_JAR} (run npm ci)` };
  const result = spawnSync(JAVA, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    return {
      available: false,
      reason: `${JAVA} is not runnable (${result.error?.message ?? `exit code ${result.status}`}); install a JRE (apt-get install default-jre-headless)`,
    };
  }
  return { available: true, reason: '' };
}

/**
 * Decides whether a suite that needs `tool` runs. Returns true when it must be skipped: only off CI,
 * and never silently. On CI a missing tool does not skip; the suite's own setup then fails.
 */
export function shouldSkip(suite: string, check: ToolCheck): boolean {
  if (check.available) return false;
  if (IN_CI) return false;
  const line = '!'.repeat(100);
  console.warn(
    `\n${line}\n!! SKIPPING ${suite}: ${check.reason}.\n!! These tests never skip on CI (CI=true), where a missing tool fails them.\n${line}\n`,
  );
  return true;
}

/** For a suite's setup: fail with the reason when the tool is missing (reached on CI only). */
export function requireTool(suite: string, check: ToolCheck): void {
  if (!check.available) throw new Error(`${suite} cannot run: ${check.reason}. CI=true, so this is a failure.`);
}

/** The PostgreSQL server the tests create their databases on (TEST_POSTGRES_URL overrides). */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether the PostgreSQL server answers (pg_isready, with a short timeout). */
export function checkPostgres(): ToolCheck {
  const url = new URL(POSTGRES_ADMIN_URL);
  const result = spawnSync('pg_isready', ['-h', url.hostname, '-p', url.port || '5432', '-t', '3'], {
    encoding: 'utf8',
  });
  if (result.error) {
    return { available: false, reason: `pg_isready is not installed (${result.error.message}); install PostgreSQL 15` };
  }
  if (result.status !== 0) {
    return {
      available: false,
      reason: `PostgreSQL does not answer at ${url.host} (${result.stdout.trim()}); start it or set TEST_POSTGRES_URL`,
    };
  }
  return { available: true, reason: '' };
}
