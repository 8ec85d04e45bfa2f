// The folders under src/ form layers: no folder reaches, through any chain of imports, back into
// itself, and the renderers (the site, the feeds, the API, the SEO files) never import each other.
// Each node is a folder directly under src/, or a file that sits directly in src/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const RENDERERS = ['site', 'feeds', 'api', 'seo'] as const;

/** One relative import: which file, which line, what it names, and where that resolves. */
interface ImportEdge {
  /** The importing file, relative to src/ ("site/routes.ts"). */
  from: string;
  line: number;
  specifier: string;
  /** The imported file, relative to src/ ("listing/filter.ts"). */
  to: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

/** The module a node imports, when it is an import or re-export declaration, an `import()` or an import type. */
function specifierOf(node: ts.Node): ts.Expression | undefined {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return node.moduleSpecifier;
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return node.arguments[0];
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) return node.argument.literal;
  return undefined;
}

/**
 * Every relative import of a file, parsed by TypeScript (so comments, strings and regular
 * expressions are never mistaken for one): `import`, `import type`, `export ... from`,
 * `import('./x.ts')` and `import('./x.ts').Type`.
 */
function relativeImports(file: string, source: string): ImportEdge[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const visit = (node: ts.Node): void => {
    const specifier = specifierOf(node);
    if (specifier && ts.isStringLiteralLike(specifier) && /^\.{1,2}\//.test(specifier.text)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier.text));
      edges.push({
        from: file,
        line: tree.getLineAndCharacterOfPosition(specifier.getStart(tree)).line + 1,
        specifier: specifier.text,
        to: target,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return edges;
}

/** The folder directly under src/, or the file itself when it sits in src/ ("app.ts"). */
function nodeOf(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length > 0 ? (first as string) : file;
}

/** Strongly connected components of more than one node (Tarjan), each sorted, in a stable order. */
function cyclesOf(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (next === node) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (;;) {
        const member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
        if (member === node) break;
      }
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

function graphOf(edges: readonly ImportEdge[], nodes: Iterable<string>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const node of nodes) graph.set(node, new Set());
  for (const edge of edges) {
    const from = nodeOf(edge.from);
    const to = nodeOf(edge.to);
    if (!graph.has(to)) graph.set(to, new Set());
    const targets = graph.get(from) ?? new Set<string>();
    targets.add(to);
    graph.set(from, targets);
  }
  return graph;
}

const describeEdge = (edge: ImportEdge) =>
  `  src/${edge.from}:${edge.line} imports '${edge.specifier}' (src/${edge.to})`;

/** The shortest path from `start` to `goal` through the given nodes (BFS), both ends included. */
function shortestPath(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  members: ReadonlySet<string>,
  start: string,
  goal: string,
): string[] | null {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    if (node === goal) {
      const path: string[] = [];
      for (let at: string | null = goal; at !== null; at = previous.get(at) ?? null) path.unshift(at);
      return path;
    }
    for (const next of graph.get(node) ?? []) {
      if (members.has(next) && !previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}

/** How many of a hop's imports a message lists before saying how many more there are. */
const IMPORTS_SHOWN_PER_HOP = 3;

/**
 * A component's cycles, each named hop by hop with the file imports that make the hop: for every
 * folder-to-folder edge inside the component, the shortest cycle through it (duplicates dropped).
 */
function describeCycle(component: readonly string[], edges: readonly ImportEdge[]): string {
  const members = new Set(component);
  const graph = graphOf(edges, component);
  const importsOf = (from: string, to: string) =>
    edges.filter((edge) => nodeOf(edge.from) === from && nodeOf(edge.to) === to);
  const seen = new Set<string>();
  const lines = [`cycle between ${component.join(', ')}:`];
  const hops = component.flatMap((from) =>
    [...(graph.get(from) ?? [])].filter((to) => to !== from && members.has(to)).map((to) => [from, to] as const),
  );
  for (const [from, to] of hops) {
    const back = shortestPath(graph, members, to, from);
    if (!back) continue;
    const cycle = [from, ...back];
    // The same cycle read from another of its folders: one rotation, the one starting at the smallest.
    const ring = cycle.slice(0, -1);
    const first = ring.indexOf([...ring].sort()[0] as string);
    const key = [...ring.slice(first), ...ring.slice(0, first)].join(' -> ');
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`  ${cycle.join(' -> ')}`);
    for (let i = 0; i + 1 < cycle.length; i += 1) {
      const imports = importsOf(cycle[i] as string, cycle[i + 1] as string);
      lines.push(`    ${cycle[i]} -> ${cycle[i + 1]}:`);
      for (const edge of imports.slice(0, IMPORTS_SHOWN_PER_HOP)) lines.push(`    ${describeEdge(edge)}`);
      if (imports.length > IMPORTS_SHOWN_PER_HOP) {
        lines.push(`      ... and ${imports.length - IMPORTS_SHOWN_PER_HOP} more`);
      }
    }
  }
  return lines.join('\n');
}

const files = sourceFiles(SRC).map((full) => path.relative(SRC, full).split(path.sep).join('/'));
const edges = files.flatMap((file) => relativeImports(file, fs.readFileSync(path.join(SRC, file), 'utf8')));

describe('the import graph of src/', () => {
  it('reads the source files and their relative imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((file) => file.endsWith('.test.ts'))).toBe(false);
    expect(files).toContain('app.ts');
    expect(files).toContain('site/routes.ts');
    // Every relative import names a file that exists (a typo would hide an edge).
    const missing = edges.filter((edge) => !fs.existsSync(path.join(SRC, edge.to)));
    expect(missing.map(describeEdge)).toEqual([]);
    // The composition root reaches every renderer.
    const fromApp = new Set(edges.filter((edge) => edge.from === 'app.ts').map((edge) => nodeOf(edge.to)));
    for (const renderer of RENDERERS) expect(fromApp).toContain(renderer);
  });

  it('has no cycle between folders (or the files directly in src/)', () => {
    const graph = graphOf(edges, files.map(nodeOf));
    const cycles = cyclesOf(graph);
    expect(cycles.map((component) => describeCycle(component, edges)).join('\n\n')).toBe('');
  });

  it('keeps the renderers apart: site, feeds, api and seo never import one another', () => {
    const crossing = edges.filter((edge) => {
      const from = nodeOf(edge.from);
      const to = nodeOf(edge.to);
      return (
        from !== to && (RENDERERS as readonly string[]).includes(from) && (RENDERERS as readonly string[]).includes(to)
      );
    });
    expect(crossing.map(describeEdge).join('\n')).toBe('');
  });
});

describe('the checker itself', () => {
  it('parses static, type-only, re-exported, side-effect, multi-line, dynamic and type imports, not comments or strings', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../store/b.ts';",
      "export { c } from './c.ts';",
      "export * from './d.ts';",
      "import './e.ts';",
      'import {',
      '  f,',
      '  g,',
      "} from './fg.ts';",
      "function later() { const apostrophe = /it's/; return import('./h.ts'); }",
      "// import { z } from './commented.ts';",
      "/* export * from './block.ts'; */",
      "import fs from 'node:fs';",
      'const text = \'import { y } from "./in-a-string"\';',
      "type Lazy = typeof import('../listing/lazy.ts');",
      "export const outside = import('../../outside.ts');",
    ].join('\n');
    const found = relativeImports('documents/x.ts', source).map((edge) => [edge.line, edge.to]);
    expect(found).toEqual([
      [1, 'documents/a.ts'],
      [2, 'store/b.ts'],
      [3, 'documents/c.ts'],
      [4, 'documents/d.ts'],
      [5, 'documents/e.ts'],
      [9, 'documents/fg.ts'],
      [10, 'documents/h.ts'],
      [15, 'listing/lazy.ts'],
      [16, '../outside.ts'],
    ]);
  });

  it('maps files to their top folder, files in src/ to themselves', () => {
    expect(nodeOf('listing/filter.ts')).toBe('listing');
    expect(nodeOf('site/views/home-page.ts')).toBe('site');
    expect(nodeOf('app.ts')).toBe('app.ts');
  });

  it('names the imports that make a cycle, hop by hop and file by file', () => {
    const imports: ImportEdge[] = [
      { from: 'a/one.ts', line: 3, specifier: '../b/two.ts', to: 'b/two.ts' },
      { from: 'b/two.ts', line: 7, specifier: '../a/three.ts', to: 'a/three.ts' },
      { from: 'a/one.ts', line: 4, specifier: './three.ts', to: 'a/three.ts' },
      { from: 'b/two.ts', line: 8, specifier: '../c/four.ts', to: 'c/four.ts' },
      { from: 'c/four.ts', line: 1, specifier: '../a/one.ts', to: 'a/one.ts' },
      { from: 'c/four.ts', line: 2, specifier: '../d.ts', to: 'd.ts' },
    ];
    const [cycle, ...others] = cyclesOf(graphOf(imports, []));
    expect(others).toEqual([]);
    expect(cycle).toEqual(['a', 'b', 'c']);
    expect(describeCycle(cycle ?? [], imports)).toBe(
      [
        'cycle between a, b, c:',
        '  a -> b -> a',
        '    a -> b:',
        "      src/a/one.ts:3 imports '../b/two.ts' (src/b/two.ts)",
        '    b -> a:',
        "      src/b/two.ts:7 imports '../a/three.ts' (src/a/three.ts)",
        '  b -> c -> a -> b',
        '    b -> c:',
        "      src/b/two.ts:8 imports '../c/four.ts' (src/c/four.ts)",
        '    c -> a:',
        "      src/c/four.ts:1 imports '../a/one.ts' (src/a/one.ts)",
        '    a -> b:',
        "      src/a/one.ts:3 imports '../b/two.ts' (src/b/two.ts)",
      ].join('\n'),
    );
  });

  it('finds every cycle, and ignores self-edges', () => {
    const graph = new Map<string, Set<string>>([
      ['a', new Set(['a', 'b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set(['d'])],
      ['e', new Set(['f'])],
      ['f', new Set(['e'])],
      ['g', new Set(['a'])],
    ]);
    expect(cyclesOf(graph)).toEqual([
      ['a', 'b', 'c'],
      ['e', 'f'],
    ]);
    expect(cyclesOf(new Map([['x', new Set(['x'])]]))).toEqual([]);
  });
});
