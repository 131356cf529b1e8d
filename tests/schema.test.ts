/**
 * `postdump schema` against the real output: every fixture's records, with every field, validate
 * against it (ajv, draft 2020-12, formats checked); and records that break it do not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ALL_FIELDS, POST_FIELDS } from '../src/record.js';
import { repoRoot, runCli } from './helpers/cli.js';
import { fixtureInputs } from './helpers/workspace.js';
import { readJsonLines } from './helpers/read-back.js';

const schema = JSON.parse(runCli(['schema']).stdout) as { properties: Record<string, unknown>; required: string[] };
const ajv = new Ajv2020({ strict: true, allErrors: true });
// ajv-formats is CommonJS: imported from ESM, its plugin is the module's `default`.
formats.default(ajv);
const validate = ajv.compile(schema);

function expectValid(record: unknown): void {
  const ok = validate(record);
  expect(ok ? [] : validate.errors, JSON.stringify(record).slice(0, 200)).toEqual([]);
}

describe('the record schema', () => {
  it('names every field --fields knows, and requires the record’s own', () => {
    expect(Object.keys(schema.properties)).toEqual([...ALL_FIELDS]);
    expect(schema.required).toEqual([...POST_FIELDS]);
  });

  it('every fixture’s records, with every field (enrichment included), are valid', () => {
    const inputs = fixtureInputs();
    expect(inputs.length).toBeGreaterThan(25);
    // One run over every input; the few without posts are reported on stderr and give no record.
    const r = runCli(['parse', ...inputs, '-f', 'jsonl', '--fields', ALL_FIELDS.join(',')]);
    const records = readJsonLines<Record<string, unknown>>(r.stdout);
    expect(records.length).toBeGreaterThan(90);
    expect(new Set(records.map((rec) => rec.source)).size).toBeGreaterThan(20);
    for (const record of records) expectValid(record);
    expect(records.some((rec) => rec.series !== null)).toBe(true);
  });

  it('the default output (the golden files of every format that carries records as JSON) is valid', () => {
    for (const name of ['seed.json', 'tricky.json', 'seed.compact.json']) {
      for (const record of JSON.parse(readFileSync(join(repoRoot, 'fixtures/golden', name), 'utf8')) as unknown[]) expectValid(record);
    }
    for (const name of ['seed.jsonl', 'tricky.jsonl']) {
      for (const record of readJsonLines(readFileSync(join(repoRoot, 'fixtures/golden', name), 'utf8'))) expectValid(record);
    }
  });

  it('is not vacuous: records that break the contract are rejected', () => {
    const good = JSON.parse(readFileSync(join(repoRoot, 'fixtures/golden/seed.json'), 'utf8'))[0] as Record<string, unknown>;
    expect(validate(good)).toBe(true);
    const bad: Record<string, unknown>[] = [
      { ...good, date: '2021-13-01' },
      { ...good, date: '2021-02-30' },
      { ...good, date: '21-01-01' },
      { ...good, readers: -1 },
      { ...good, readers: 1.5 },
      { ...good, readers: '81957' },
      { ...good, url: 'not a url' },
      { ...good, id: 0 },
      { ...good, line: 0 },
      { ...good, author: '' },
      { ...good, part: 0 },
      { ...good, tags: 'a' },
      { ...good, extra: 1 },
      Object.fromEntries(Object.entries(good).filter(([key]) => key !== 'excerpt')),
    ];
    for (const record of bad) expect(validate(record), JSON.stringify(record).slice(0, 120)).toBe(false);
    expect(
      validate({ ...good, url: 'https://kexue.fm/archives/9119', id: 9119, series: '生成扩散模型漫谈', part: 1, categories: ['信息时代'], tags: ['扩散模型'] }),
    ).toBe(true);
  });
});
