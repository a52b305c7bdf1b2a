// sql.ts writes out which columns are dates and booleans, so that the SQLite writer thread, where the planner runs, need not
// load Prisma's generated client to know; this holds that list to the schema.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Prisma } from '../../generated/prisma/sqlite/index.js';
import { COLUMN_KINDS } from '../../src/db/sql.js';

it("lists every model's DateTime and Boolean columns, and nothing else", () => {
  const kindOf: Record<string, string> = { DateTime: 'date', Boolean: 'bool' };
  const fromSchema = Object.fromEntries(
    Prisma.dmmf.datamodel.models.flatMap((model) => {
      const columns = model.fields.filter((field) => kindOf[field.type] !== undefined).map((field) => [field.name, kindOf[field.type]]);
      return columns.length === 0 ? [] : [[model.name, Object.fromEntries(columns)]];
    }),
  );
  assert.deepEqual(COLUMN_KINDS, fromSchema);
});
