// The site in a real browser (headless Chromium over HTTP): keyboard use of the menu and of
// the reading path, axe-core accessibility checks, screenshots, and small-screen layout.
// Skipped with a loud warning when Chromium is missing on a developer machine; never on CI.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AxeViolation,
  type FocusedElement,
  focusedElement,
  formatViolations,
  horizontalExtent,
  isBlocking,
  isDisclosureOpen,
  type LiveSite,
  runAxe,
  saveScreenshot,
  settleDisclosure,
  startLiveSite,
  tabUntil,
  type ViewportName,
} from './support/browser.ts';
import { checkChromium, requireTool, shouldSkip } from './support/environment.ts';

const SUITE = 'browser tests (test/browser.test.ts)';
const chromiumCheck = checkChromium();

const SEED_PRESS_RELEASE =
  '/press-releases/2007/09/osce-plays-key-role-in-fight-against-human-trafficking-top-official-says';
const FIELD_PAGE = '/fields-of-work/combating-trafficking-in-human-beings';

/** The pages every browser check covers, by a short name used for screenshots. */
const PAGES: ReadonlyArray<readonly [name: string, path: string]> = [
  ['home', '/'],
  ['listing-press-releases', '/press-releases'],
  ['search-filtered', '/search?q=trafficking&field=human-rights&not_country=austria'],
  ['document-press-release', SEED_PRESS_RELEASE],
  ['country-switzerland', '/countries/switzerland'],
  ['field-of-work', FIELD_PAGE],
  ['structures', '/structures'],
];

/** axe-core is injected as an inline script, which the site's CSP (rightly) refuses. */
const AXE_CONTEXT = { bypassCSP: true } as const;

const isSummary = (label: string) => (element: FocusedElement) => element.tag === 'summary' && element.text === label;
const isLink = (href: string) => (element: FocusedElement) => element.tag === 'a' && element.href === href;

/** Fails with a readable list of the serious and critical violations; prints the others. */
function expectNoBlockingViolations(label: string, violations: AxeViolation[]): void {
  const minor = violations.filter((v) => !isBlocking(v));
  if (minor.length > 0) console.warn(formatViolations(`${label} (minor/moderate, not failing)`, minor));
  const blocking = violations.filter(isBlocking);
  expect(blocking.length, formatViolations(label, blocking)).toBe(0);
}

describe.skipIf(shouldSkip(SUITE, chromiumCheck))('the site in Chromium', () => {
  let site: LiveSite;

  beforeAll(async () => {
    requireTool(SUITE, chromiumCheck);
    site = await startLiveSite({ demo: 300 });
  }, 90_000);

  afterAll(async () => {
    await site?.close();
  }, 30_000);

  afterEach(() => {
    // Under the real CSP (all but the axe contexts), a blocked script or style shows up here.
    const errors = site?.takeErrors() ?? [];
    expect(errors, `errors in the browser:\n  ${errors.join('\n  ')}`).toEqual([]);
  });

  describe('keyboard', () => {
    it('reaches a field of work through the menu, then a press release from its listing', {
      timeout: 30_000,
    }, async () => {
      // A field whose first listing page has a press release (demo data depends on the date).
      const fields = site.app.context.catalog.fields;
      let field: (typeof fields)[number] | undefined;
      for (const candidate of fields) {
        const response = await site.app.app.inject({ url: `/fields-of-work/${candidate.slug}` });
        if (/<ol class="doc-list">[\s\S]*?href="\/press-releases\/\d{4}\//.test(response.body)) {
          field = candidate;
          break;
        }
      }
      if (!field) throw new Error('No field of work lists a press release on its first page');
      const fieldHref = `/fields-of-work/${field.slug}`;

      const page = await site.open('/');
      await page.keyboard.press('Tab');
      expect(await focusedElement(page), 'the first Tab stop is the skip link').toMatchObject({
        tag: 'a',
        href: '#main',
        visible: true,
      });

      const summary = await tabUntil(page, isSummary('Our work'), { description: 'the "Our work" menu toggle' });
      expect(summary.element.disclosureId).toBe('menu-work');
      expect(summary.element.visible).toBe(true);
      expect(await isDisclosureOpen(page, 'menu-work')).toBe(false);
      expect(
        await page.locator('nav[aria-label="Main"] #menu-work > summary').count(),
        'the toggle is the <summary> of a <details> inside <nav aria-label="Main">',
      ).toBe(1);

      await page.keyboard.press('Enter');
      expect(await isDisclosureOpen(page, 'menu-work'), 'Enter opens the panel').toBe(true);

      const heading = await tabUntil(page, isLink('/fields-of-work'), {
        maxPresses: 3,
        description: 'the "Fields of work" group heading',
      });
      expect(heading.element).toMatchObject({ text: 'Fields of work', disclosureId: 'menu-work', visible: true });

      const link = await tabUntil(page, isLink(fieldHref), { maxPresses: 40, description: `the link to ${fieldHref}` });
      expect(link.element).toMatchObject({ text: field.name, disclosureId: 'menu-work', visible: true });
      for (const stop of link.stops) expect(stop.visible, `focus stop ${stop.text} is visible`).toBe(true);

      await Promise.all([page.waitForURL(fieldHref), page.keyboard.press('Enter')]);
      expect((await page.locator('h1').textContent())?.trim()).toBe(field.name);
      expect(await page.title()).toContain(field.name);

      const release = page.locator('.doc-list a[href^="/press-releases/"]').first();
      const releaseTitle = (await release.textContent())?.trim();
      const releaseHref = await release.getAttribute('href');
      if (!releaseHref || !releaseTitle) throw new Error('The press release link has no href or no text');
      await release.focus();
      expect(await focusedElement(page)).toMatchObject({ tag: 'a', href: releaseHref, visible: true });
      await Promise.all([page.waitForURL(releaseHref), page.keyboard.press('Enter')]);

      expect((await page.locator('h1').textContent())?.trim()).toBe(releaseTitle);
      const terms = (await page.locator('dl.doc-meta dt').allInnerTexts()).map((text) => text.trim());
      expect(terms).toContain('Date');
      // One issuing structure, or several for a joint release: a link to each.
      const sourceTerm = terms.find((term) => term === 'Source' || term === 'Sources');
      expect(sourceTerm, 'the document names its source').toBeDefined();
      const date = page.locator('dl.doc-meta div', { has: page.locator('dt', { hasText: /^Date$/ }) }).locator('dd');
      expect((await date.textContent())?.trim()).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}/);
      const source = page.locator('dl.doc-meta div', { has: page.locator('dt', { hasText: /^Sources?$/ }) });
      const sourceLinks = await source.locator('dd a[href^="/structures/"]').count();
      if (sourceTerm === 'Source') expect(sourceLinks).toBe(1);
      else expect(sourceLinks).toBeGreaterThanOrEqual(2);
      await page.context().close();
    });

    it('closes the open panel with Escape and returns focus to its toggle', { timeout: 30_000 }, async () => {
      const page = await site.open('/');
      await tabUntil(page, isSummary('Countries'), { description: 'the "Countries" menu toggle' });
      await page.keyboard.press('Enter');
      expect(await isDisclosureOpen(page, 'menu-countries')).toBe(true);

      await page.keyboard.press('Tab');
      expect(await focusedElement(page)).toMatchObject({ tag: 'a', disclosureId: 'menu-countries', visible: true });

      await page.keyboard.press('Escape');
      expect(await isDisclosureOpen(page, 'menu-countries'), 'Escape closes the panel').toBe(false);
      expect(await focusedElement(page), 'focus returns to the toggle').toMatchObject({
        tag: 'summary',
        text: 'Countries',
      });

      // One panel at a time: opening another closes the first.
      await page.keyboard.press('Enter');
      expect(await isDisclosureOpen(page, 'menu-countries')).toBe(true);
      await tabUntil(page, isSummary('Structures and institutions'), {
        maxPresses: 120,
        description: 'the next toggle',
      });
      await page.keyboard.press('Enter');
      expect(await isDisclosureOpen(page, 'menu-structures')).toBe(true);
      expect(await settleDisclosure(page, 'menu-countries', false), 'opening a panel closes the other').toBe(false);

      // A click outside the menu closes it.
      await page.locator('.site-footer__name').click();
      expect(await isDisclosureOpen(page, 'menu-structures'), 'a click outside closes the panel').toBe(false);
      await page.context().close();
    });

    it('opens the menu and follows its links by keyboard with JavaScript disabled', { timeout: 30_000 }, async () => {
      const page = await site.open('/', { javaScriptEnabled: false });
      await tabUntil(page, isSummary('Structures and institutions'), {
        description: 'the "Structures and institutions" toggle',
      });
      await page.keyboard.press('Enter');
      expect(await isDisclosureOpen(page, 'menu-structures'), 'Enter opens the panel without JavaScript').toBe(true);

      await page.keyboard.press('Tab');
      const first = await focusedElement(page);
      expect(first).toMatchObject({ tag: 'a', disclosureId: 'menu-structures', visible: true });
      const href = first?.href;
      if (!href) throw new Error('The first link of the panel has no href');
      await Promise.all([page.waitForURL(href), page.keyboard.press('Enter')]);
      expect((await page.locator('h1').textContent())?.trim()).toBe(first.text);

      // And Enter on the toggle closes the panel again.
      await tabUntil(page, isSummary('Our work'), { description: 'the "Our work" toggle' });
      await page.keyboard.press('Enter');
      expect(await isDisclosureOpen(page, 'menu-work')).toBe(true);
      await page.keyboard.press('Enter');
      expect(await isDisclosureOpen(page, 'menu-work')).toBe(false);
      await page.context().close();
    });
  });

  describe('facets and search', () => {
    const resultCount = async (page: import('playwright-core').Page) =>
      Number(((await page.locator('.result-count').textContent()) ?? '').replace(/[^\d].*$/s, '').replace(/,/g, ''));

    for (const javaScriptEnabled of [false, true]) {
      it(`filters by clicking facets, with JavaScript ${javaScriptEnabled ? 'on' : 'off'}; the URL and back button follow`, {
        timeout: 30_000,
      }, async () => {
        const page = await site.open('/documents', { javaScriptEnabled });
        const total = await resultCount(page);

        const field = page.locator('#facet-field + .facet__values a').first();
        const fieldCount = Number(((await field.locator('span + span').textContent()) ?? '').replace(/,/g, ''));
        await Promise.all([page.waitForURL(/field=/), field.click()]);
        expect(new URL(page.url()).searchParams.getAll('field')).toHaveLength(1);
        expect(await resultCount(page)).toBe(fieldCount);
        expect(fieldCount).toBeLessThan(total);

        const type = page.locator('#facet-type + .facet__values a:not(.facet__link--selected)').first();
        await Promise.all([page.waitForURL(/type=/), type.click()]);
        const both = new URL(page.url()).searchParams;
        expect(both.getAll('field')).toHaveLength(1);
        expect(both.getAll('type')).toHaveLength(1);
        const narrowed = await resultCount(page);
        expect(narrowed).toBeLessThanOrEqual(fieldCount);

        await page.goBack();
        await page.waitForURL((url) => !url.searchParams.has('type'));
        expect(await resultCount(page)).toBe(fieldCount);
        expect(await page.locator('.facet__link--selected').count()).toBe(1);

        await page.goForward();
        await page.waitForURL(/type=/);
        // Removing a filter is a link too.
        await Promise.all([
          page.waitForURL((url) => !url.searchParams.has('field')),
          page.locator('a.chip', { hasText: 'Field of work' }).click(),
        ]);
        expect(new URL(page.url()).searchParams.getAll('type')).toHaveLength(1);
        await page.context().close();
      });
    }

    it('searches from the search box and keeps the active filters', { timeout: 30_000 }, async () => {
      const page = await site.open('/press-releases?field=human-rights');
      await page.fill('#search-q', 'trafficking');
      await Promise.all([page.waitForURL(/q=trafficking/), page.press('#search-q', 'Enter')]);
      const params = new URL(page.url()).searchParams;
      expect(params.get('field')).toBe('human-rights');
      expect(await page.locator('.doc-list mark').count()).toBeGreaterThan(0);
      await page.context().close();
    });
  });

  describe('the site-wide search box in the header, at 320 px', () => {
    const NARROW = { viewportName: 'narrow' } as const;
    const INPUT = 'header form[role="search"] input[name="q"]';
    const BUTTON = 'header form[role="search"] button[type="submit"]';

    /** Size and position of an element, and whether it is rendered at all. */
    const boxOf = async (page: import('playwright-core').Page, selector: string) => {
      const locator = page.locator(selector);
      expect(await locator.count(), `${selector} is on the page once`).toBe(1);
      expect(await locator.isVisible(), `${selector} is visible`).toBe(true);
      const box = await locator.boundingBox();
      if (!box) throw new Error(`${selector} has no box`);
      return box;
    };

    for (const [name, path] of [
      ['home', '/'],
      ['listing', '/press-releases'],
      ['document', SEED_PRESS_RELEASE],
    ] as const) {
      it(`${name} (${path}): fits without horizontal scrolling, input and button at least 24×24 px`, {
        timeout: 30_000,
      }, async () => {
        const page = await site.open(path, NARROW);
        const extent = await horizontalExtent(page);
        expect(extent.scrollWidth, `${path}: ${extent.overflowing.join(', ')}`).toBeLessThanOrEqual(320);
        for (const selector of [INPUT, BUTTON]) {
          const box = await boxOf(page, selector);
          // WCAG 2.2 AA 2.5.8 Target Size (Minimum).
          expect(box.width, `${selector} width`).toBeGreaterThanOrEqual(24);
          expect(box.height, `${selector} height`).toBeGreaterThanOrEqual(24);
          expect(box.x, `${selector} starts inside the viewport`).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width, `${selector} ends inside the viewport`).toBeLessThanOrEqual(320);
        }
        // The field is wide enough to type a few words into, not squeezed by its button.
        expect((await boxOf(page, INPUT)).width).toBeGreaterThanOrEqual(160);
        await page.context().close();
      });
    }

    it('shows where the keyboard focus is, on the input and then on the button', { timeout: 30_000 }, async () => {
      const page = await site.open('/', NARROW);
      const input = await tabUntil(page, (element) => element.tag === 'input', { description: 'the search input' });
      expect(input.element.visible).toBe(true);
      // Nothing before the search box is a form field: the first input reached is the header's.
      expect(await page.evaluate(`document.activeElement.id`)).toBe('site-search-q');
      const focusStyle = `(() => { const s = getComputedStyle(document.activeElement);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor }; })()`;
      // The site's focus yellow (#ffdd00), which stands out on the header's blue.
      const ring = { style: 'solid', color: 'rgb(255, 221, 0)' };
      const inputRing = await page.evaluate<{ style: string; width: number; color: string }>(focusStyle);
      expect(inputRing).toMatchObject(ring);
      expect(inputRing.width).toBeGreaterThanOrEqual(2);
      await page.keyboard.press('Tab');
      expect(await focusedElement(page)).toMatchObject({ tag: 'button', text: 'Search', visible: true });
      const buttonRing = await page.evaluate<{ style: string; width: number; color: string }>(focusStyle);
      expect(buttonRing).toMatchObject(ring);
      expect(buttonRing.width).toBeGreaterThanOrEqual(2);
      await page.context().close();
    });

    for (const javaScriptEnabled of [true, false]) {
      it(`typing a word and pressing Enter lands on /search with results, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, {
        timeout: 30_000,
      }, async () => {
        const page = await site.open(SEED_PRESS_RELEASE, { ...NARROW, javaScriptEnabled });
        await page.locator(INPUT).fill('trafficking');
        await Promise.all([page.waitForURL(/\/search\?q=trafficking$/), page.press(INPUT, 'Enter')]);
        expect(new URL(page.url()).pathname).toBe('/search');
        expect((await page.locator('h1').textContent())?.trim()).toBe('Search');
        expect(await page.locator('.doc-list .doc-row').count()).toBeGreaterThan(0);
        expect(await page.locator('.doc-list mark').count(), 'the word is highlighted in the results').toBeGreaterThan(
          0,
        );
        // The search page's own box holds the query; the header does not repeat it.
        expect(await page.locator('#search-q').inputValue()).toBe('trafficking');
        expect(await page.locator('header form[role="search"]').count()).toBe(0);
        const extent = await horizontalExtent(page);
        expect(extent.scrollWidth, `results: ${extent.overflowing.join(', ')}`).toBeLessThanOrEqual(320);
        await page.context().close();
      });
    }

    for (const [name, path] of [
      ['home', '/'],
      ['listing, with its own search form too', '/press-releases'],
    ] as const) {
      it(`axe-core: no serious or critical violations on ${name} (${path})`, { timeout: 30_000 }, async () => {
        const page = await site.open(path, { ...AXE_CONTEXT, ...NARROW });
        await page.locator(INPUT).fill('human rights');
        await page.locator(INPUT).focus();
        expectNoBlockingViolations(`${path} at 320px, search box filled and focused`, await runAxe(page));
        await page.context().close();
      });
    }
  });

  describe('axe-core: no serious or critical violations', () => {
    for (const [name, path] of PAGES) {
      it(`${name} (${path})`, { timeout: 30_000 }, async () => {
        const page = await site.open(path, AXE_CONTEXT);
        expectNoBlockingViolations(`${name} ${path}`, await runAxe(page));
        await page.context().close();
      });
    }

    it('reports a planted violation (axe really checks)', { timeout: 30_000 }, async () => {
      const page = await site.open('/', AXE_CONTEXT);
      await page.setContent(
        '<!DOCTYPE html><html lang="en"><head><title>Canary</title></head><body><main><img src="data:,"></main></body></html>',
      );
      const violations = await runAxe(page);
      expect(violations.filter(isBlocking).map((v) => v.id)).toContain('image-alt');
      await page.context().close();
    });

    it('home with each menu panel open', { timeout: 60_000 }, async () => {
      const page = await site.open('/', AXE_CONTEXT);
      for (const id of ['menu-work', 'menu-countries', 'menu-structures']) {
        await page.locator(`#${id} > summary`).click();
        expect(await isDisclosureOpen(page, id)).toBe(true);
        expectNoBlockingViolations(`home, panel #${id} open`, await runAxe(page));
      }
      await page.context().close();
    });

    it('home at 320 px wide, menu closed and open', { timeout: 60_000 }, async () => {
      const page = await site.open('/', { ...AXE_CONTEXT, viewportName: 'narrow' });
      expectNoBlockingViolations('home at 320px', await runAxe(page));
      await page.locator('#menu-countries > summary').click();
      expectNoBlockingViolations('home at 320px, panel #menu-countries open', await runAxe(page));
      await page.context().close();
    });
  });

  describe('screenshots (test-results/screenshots/)', () => {
    for (const viewportName of ['desktop', 'phone'] as const satisfies readonly ViewportName[]) {
      it(`full pages, ${viewportName}`, { timeout: 60_000 }, async () => {
        const context = await site.newContext({ viewportName });
        const page = await context.newPage();
        for (const [name, path] of PAGES) {
          const response = await page.goto(path);
          expect(response?.status(), path).toBe(200);
          await saveScreenshot(page, `${name}-${viewportName}`);
        }
        await page.goto('/');
        await page.locator('#menu-work > summary').click();
        await saveScreenshot(page, `home-menu-open-${viewportName}`);
        await context.close();
      });
    }
  });

  describe('no horizontal scrolling at 320 px', () => {
    const narrowPages = PAGES.filter(([name]) =>
      ['home', 'listing-press-releases', 'document-press-release'].includes(name),
    );
    for (const [name, path] of narrowPages) {
      it(`${name} (${path})`, { timeout: 30_000 }, async () => {
        const page = await site.open(path, { viewportName: 'narrow' });
        const extent = await horizontalExtent(page);
        expect(
          extent.scrollWidth,
          `${path} is ${extent.scrollWidth}px wide: ${extent.overflowing.join(', ')}`,
        ).toBeLessThanOrEqual(extent.clientWidth);
        expect(extent.scrollWidth).toBeLessThanOrEqual(320);
        await page.context().close();
      });
    }

    it('home with the Countries panel open', { timeout: 30_000 }, async () => {
      const page = await site.open('/', { viewportName: 'narrow' });
      await page.locator('#menu-countries > summary').click();
      const extent = await horizontalExtent(page);
      expect(extent.scrollWidth, `menu open: ${extent.overflowing.join(', ')}`).toBeLessThanOrEqual(320);
      await page.context().close();
    });
  });
});
