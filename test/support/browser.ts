// The real site over HTTP and a headless Chromium driving it: for keyboard, accessibility
// (axe-core), layout and screenshot tests. Page code is passed as strings to page.evaluate,
// so this file needs neither DOM types nor any transform of functions sent to the browser.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './environment.ts';
import { buildTestApp, type TestApp } from './test-app.ts';

const require = createRequire(import.meta.url);
const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 740 },
  narrow: { width: 320, height: 640 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export const SCREENSHOT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../test-results/screenshots',
);

export interface LiveSite {
  app: TestApp;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  browser: Browser;
  /**
   * A fresh context (own cookies, own viewport) under the site's real Content-Security-Policy;
   * pass `bypassCSP: true` where axe-core must be injected (addScriptTag inlines it).
   */
  newContext(options?: ContextOptions): Promise<BrowserContext>;
  /** A page in a fresh context, already at `pathname`. */
  open(pathname: string, options?: ContextOptions): Promise<Page>;
  /**
   * Uncaught exceptions, console errors (CSP violations among them) and failed requests seen
   * in any page since the last call; emptied by the call.
   */
  takeErrors(): string[];
  close(): Promise<void>;
}

export type ContextOptions = BrowserContextOptions & { viewportName?: ViewportName };

/** Starts the app on an ephemeral port of 127.0.0.1 and launches Chromium. */
export async function startLiveSite(options: { demo?: number } = {}): Promise<LiveSite> {
  const app = await buildTestApp({ demo: options.demo ?? 300 });
  let browser: Browser | undefined;
  try {
    const address = await app.app.listen({ port: 0, host: '127.0.0.1' });
    const origin = address.replace(/\/$/, '');
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
    const launched = browser;
    const contexts: BrowserContext[] = [];
    let errors: string[] = [];
    const newContext: LiveSite['newContext'] = async ({ viewportName = 'desktop', ...contextOptions } = {}) => {
      const context = await launched.newContext({
        baseURL: origin,
        viewport: VIEWPORTS[viewportName],
        reducedMotion: 'reduce',
        locale: 'en-GB',
        ...contextOptions,
      });
      context.setDefaultTimeout(10_000);
      context.on('page', (page) => {
        page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught ${error.message}`));
        page.on('console', (message) => {
          // "Failed to load resource" repeats a failed response, reported with its URL below.
          if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
            errors.push(`${page.url()}: console error: ${message.text()}`);
          }
        });
        page.on('response', (response) => {
          if (response.status() >= 400) {
            errors.push(`${page.url()}: ${response.status()} for ${response.url()}`);
          }
        });
        page.on('requestfailed', (request) => {
          // Navigating away aborts pending requests; that is no error of the site.
          if (request.failure()?.errorText !== 'net::ERR_ABORTED') {
            errors.push(`${page.url()}: request failed: ${request.url()} (${request.failure()?.errorText})`);
          }
        });
      });
      contexts.push(context);
      return context;
    };
    return {
      app,
      origin,
      browser: launched,
      newContext,
      async open(pathname, contextOptions) {
        const context = await newContext(contextOptions);
        const page = await context.newPage();
        const response = await page.goto(pathname, { waitUntil: 'load' });
        if (response?.status() !== 200) {
          throw new Error(`GET ${pathname} answered ${response?.status() ?? 'nothing'}, expected 200`);
        }
        return page;
      },
      takeErrors() {
        const taken = errors;
        errors = [];
        return taken;
      },
      async close() {
        await Promise.allSettled(contexts.map((context) => context.close()));
        await launched.close();
        await app.cleanup();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await app.cleanup();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Focus and keyboard

export interface FocusedElement {
  tag: string;
  text: string;
  /** The href attribute as written (links only). */
  href: string | null;
  /** Whether the element is inside the open panel of the <details> with this id (or null). */
  disclosureId: string | null;
  visible: boolean;
}

/** What has the keyboard focus now. */
export async function focusedElement(page: Page): Promise<FocusedElement | null> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent || '').replace(/\\s+/g, ' ').trim(),
      href: el.getAttribute('href'),
      disclosureId: el.closest('details')?.id ?? null,
      visible: rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden',
    };
  })()`);
}

/**
 * Presses Tab until `predicate` accepts the focused element; returns it and the path taken.
 * Fails after `maxPresses`, listing the stops, so a broken tab order is easy to read.
 */
export async function tabUntil(
  page: Page,
  predicate: (element: FocusedElement) => boolean,
  { maxPresses = 80, description = 'the wanted element' } = {},
): Promise<{ element: FocusedElement; stops: FocusedElement[] }> {
  const stops: FocusedElement[] = [];
  for (let press = 0; press < maxPresses; press += 1) {
    await page.keyboard.press('Tab');
    const element = await focusedElement(page);
    if (!element) continue;
    stops.push(element);
    if (predicate(element)) return { element, stops };
  }
  const trail = stops.map((stop, index) => `  ${index + 1}. <${stop.tag}> ${stop.text} ${stop.href ?? ''}`).join('\n');
  throw new Error(`Tab did not reach ${description} within ${maxPresses} presses. Stops:\n${trail}`);
}

/**
 * Waits (briefly) for the <details> with this id to reach the state `open`, then returns its
 * state: "toggle" events, which the menu script listens to, fire asynchronously.
 */
export async function settleDisclosure(page: Page, id: string, open: boolean, timeout = 2_000): Promise<boolean> {
  const expression = `document.getElementById(${JSON.stringify(id)})?.open === ${open}`;
  await page.waitForFunction(expression, undefined, { timeout }).catch(() => {});
  return isDisclosureOpen(page, id);
}

/** Whether the <details> with this id is open. */
export async function isDisclosureOpen(page: Page, id: string): Promise<boolean> {
  return page.evaluate(`document.getElementById(${JSON.stringify(id)})?.open === true`);
}

// ---------------------------------------------------------------------------------------------
// Accessibility: axe-core

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export type Impact = 'minor' | 'moderate' | 'serious' | 'critical';

export interface AxeViolation {
  id: string;
  impact: Impact | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

/** Runs axe-core on the page as it is now (menu open or not); returns the violations only. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(`typeof window.axe === 'object'`);
  if (!loaded) {
    await page.addScriptTag({ path: AXE_SCRIPT });
    if (!(await page.evaluate(`typeof window.axe === 'object'`))) {
      throw new Error('axe-core did not load: open the page in a context with bypassCSP: true');
    }
  }
  const options = JSON.stringify({ runOnly: AXE_TAGS, resultTypes: ['violations'] });
  return page.evaluate(`axe.run(document, ${options}).then((results) =>
    results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(' > '),
        html: n.html,
        summary: n.failureSummary || '',
      })),
    })))`);
}

export const isBlocking = (violation: AxeViolation) =>
  violation.impact === 'serious' || violation.impact === 'critical';

/** A readable report: rule, impact, help, then each offending node with what to fix. */
export function formatViolations(label: string, violations: readonly AxeViolation[]): string {
  if (violations.length === 0) return `${label}: no violations`;
  const parts = violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 8)
      .map((n) => `    - ${n.target}\n      ${n.html.slice(0, 200)}\n      ${n.summary.replace(/\n/g, '\n      ')}`)
      .join('\n');
    const more = v.nodes.length > 8 ? `\n    ... and ${v.nodes.length - 8} more nodes` : '';
    return `  [${v.impact ?? 'no impact'}] ${v.id}: ${v.help} (${v.nodes.length} nodes)\n    ${v.helpUrl}\n${nodes}${more}`;
  });
  return `${label}: ${violations.length} violation(s)\n${parts.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------
// Layout and artifacts

export interface ScrollExtent {
  scrollWidth: number;
  clientWidth: number;
  /** Elements whose right edge is beyond the viewport: where an overflow comes from. */
  overflowing: string[];
}

export async function horizontalExtent(page: Page): Promise<ScrollExtent> {
  return page.evaluate(`(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const overflowing = [];
    for (const el of document.body.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect();
      if (rect.width > 0 && rect.right > width + 0.5) {
        const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
        overflowing.push(el.tagName.toLowerCase() + cls + ' (right edge ' + Math.round(rect.right) + 'px)');
        if (overflowing.length >= 10) break;
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, overflowing };
  })()`);
}

/** Saves a full-page PNG under test-results/screenshots/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}
