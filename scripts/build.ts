// `npm run build` (and before `npm start` and `npm test`): compiles src/ into plain JavaScript in
// dist/, file by file, so that Herald runs without tsx. tsx compiles as modules load, on a loader
// thread of its own that stays for the life of the process (about 35 MiB) and makes every start
// wait for the compile; dist/main.js starts with neither. esbuild only strips the types: checking
// them is `npm run typecheck`'s job.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');

rmSync(outdir, { recursive: true, force: true }); // no file of a deleted source left behind
await build({
  entryPoints: [join(root, 'src', '**', '*.ts')],
  outbase: join(root, 'src'),
  outdir,
  platform: 'node',
  format: 'esm',
  target: `node${process.versions.node.split('.')[0]}`,
  logLevel: 'warning',
});
