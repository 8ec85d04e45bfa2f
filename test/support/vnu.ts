// The Nu Html Checker (vnu.jar), run once on many files: Java's start-up costs seconds.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JAVA, VNU_JAR } from './environment.ts';

export interface VnuMessage {
  /** "error", "info" (subType "warning" for warnings) or "non-document-error". */
  type: string;
  subType?: string;
  url?: string;
  firstLine?: number;
  lastLine?: number;
  firstColumn?: number;
  lastColumn?: number;
  message: string;
  extract?: string;
}

export interface VnuReport {
  /** Per message, the local file it refers to (absolute path). */
  messages: (VnuMessage & { file: string })[];
  errors: (VnuMessage & { file: string })[];
  warnings: (VnuMessage & { file: string })[];
}

/** Checks the given HTML files in one Java process; throws only when vnu itself cannot run. */
export async function runVnu(files: readonly string[]): Promise<VnuReport> {
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>(
    (resolve, reject) => {
      const child = spawn(JAVA, ['-Xss4m', '-jar', VNU_JAR, '--format', 'json', '--stdout', ...files], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk;
      });
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ stdout: out, stderr: err, code: exitCode }));
    },
  );
  let parsed: { messages?: VnuMessage[] };
  try {
    parsed = JSON.parse(stdout) as { messages?: VnuMessage[] };
  } catch {
    throw new Error(
      `vnu did not answer JSON (exit code ${code}).\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr}`,
    );
  }
  const messages = (parsed.messages ?? []).map((message) => ({
    ...message,
    file: message.url?.startsWith('file:') ? fileURLToPath(message.url) : (message.url ?? '(no file)'),
  }));
  const isWarning = (m: VnuMessage) => m.type === 'info' && m.subType === 'warning';
  return {
    messages,
    errors: messages.filter((m) => m.type === 'error' || m.type === 'non-document-error'),
    warnings: messages.filter(isWarning),
  };
}

/** `about-us.html:12.5: Element "div" not allowed ...` plus the extract, one message per entry. */
export function formatVnuMessages(
  messages: readonly (VnuMessage & { file: string })[],
  describe: (file: string) => string = (file) => path.basename(file),
): string {
  return messages
    .map((m) => {
      const where = `${describe(m.file)}:${m.lastLine ?? m.firstLine ?? '?'}.${m.firstColumn ?? m.lastColumn ?? '?'}`;
      const extract = m.extract ? `\n      ${m.extract.replace(/\n/g, '⏎').slice(0, 200)}` : '';
      return `  ${where}: [${m.subType ?? m.type}] ${m.message}${extract}`;
    })
    .join('\n');
}
