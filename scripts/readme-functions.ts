// `npm run readme-functions`: rewrites README.md's function table from functions/src/manifest.ts,
// the table functions/test/manifest.test.ts keeps in sync.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TABLE_END, TABLE_START, functionTable } from './deploy/function-table';

const readme = path.resolve(__dirname, '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const start = text.indexOf(TABLE_START);
const end = text.indexOf(TABLE_END);
if (start < 0 || end < start) throw new Error(`README.md lacks the function table markers (${TABLE_START} … ${TABLE_END})`);
const table = functionTable();
const next = text.slice(0, start) + table + text.slice(end + TABLE_END.length);
writeFileSync(readme, next);
console.log(next === text ? 'README.md function table already up to date' : 'README.md function table rewritten from the manifest');
