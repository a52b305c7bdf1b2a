// Starting a worker thread. `npm start` runs Herald compiled (dist/, scripts/build.ts), and the
// thread is its `.js` beside it. The tests run the TypeScript itself with tsx, and Node 20 gives a
// worker none of the parent's `--import tsx` hooks before its entry loads; registering tsx inside
// the worker costs it a loader thread of its own (the SQLite writer thread then took 29 MiB,
// against 9 MiB this way). So there the entry and what it imports are bundled once into plain
// JavaScript with esbuild (tsx's own compiler), and the worker runs that.
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { buildSync, stop as stopEsbuild } from 'esbuild';

/** Herald runs as TypeScript (tsx) or, compiled, as JavaScript: this file tells which. */
const RUNNING_TYPESCRIPT = import.meta.url.endsWith('.ts');

/**
 * Starts `entry`, the URL of a thread's `.ts` module, as a worker thread (its `.js` when Herald runs
 * compiled). `external` lists the packages it loads from node_modules rather than from the bundle
 * (native addons cannot be bundled); they are resolved from the entry's own directory, as if it ran
 * from its file (a worker run from a string would resolve them from the working directory, which
 * need not be Herald's).
 */
export function startThread(entry: URL, options: WorkerOptions & { external?: string[] }): Worker {
  const { external = [], ...workerOptions } = options;
  if (!RUNNING_TYPESCRIPT) return new Worker(new URL(entry.href.replace(/\.ts$/, '.js')), workerOptions);
  return new Worker(bundled(fileURLToPath(entry), external), { ...workerOptions, eval: true });
}

/** Bundles are made once per entry: a thread that dies is started again from the same one. */
const bundles = new Map<string, string>();

function bundled(path: string, external: string[]): string {
  const known = bundles.get(path);
  if (known !== undefined) return known;
  const { outputFiles } = buildSync({
    entryPoints: [path],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    external,
    banner: { js: `require = require('node:module').createRequire(${JSON.stringify(path)});` },
    write: false,
    logLevel: 'silent',
  });
  // buildSync keeps a thread and an esbuild process for a next call, which never comes.
  void stopEsbuild();
  const [bundle] = outputFiles;
  if (!bundle) throw new Error(`esbuild produced nothing for ${path}`);
  bundles.set(path, bundle.text);
  return bundle.text;
}
