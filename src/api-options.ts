import { INPUT_TYPES, type InputType } from './input/kinds.js';
import { ALL_FIELDS } from './record.js';
import type { Diagnostic, Post, PostField } from './types.js';

/**
 * The library's arguments, checked once at its door (as node-csv's `normalize_options` does): each
 * bad one is a `TypeError` (not the type the API takes) or a `RangeError` (a value it does not take),
 * whose message names the function, the argument and what it got; what passes is what the engine
 * trusts. A JavaScript caller, or one that casts, gets this instead of a record with `undefined` in
 * it or an error from deep inside.
 */

/** The options of `parse` and `parseStream`, checked. */
export interface CheckedParseOptions {
  source: string;
  encoding: string;
  inputType: InputType;
  maxLineBytes: number | undefined;
  onDiagnostic: ((d: Diagnostic) => void) | undefined;
}

/** The options of the formatters, checked. */
export interface CheckedFormatOptions {
  fields: readonly PostField[] | undefined;
  compact: boolean;
  excel: boolean;
  table: boolean;
}

/** `parse`'s input: text or bytes. */
export function checkInput(fn: string, input: unknown): string | Uint8Array {
  if (typeof input === 'string' || input instanceof Uint8Array) return input;
  const hint = input instanceof ArrayBuffer ? ' (wrap an ArrayBuffer: new Uint8Array(buffer))' : '';
  throw new TypeError(`${fn}: input must be a string or a Uint8Array (a Buffer is one), not ${kind(input)}${hint}`);
}

/** `parseStream`'s source: an async (or plain) iterable of chunks, each checked as it comes. */
export function checkChunks(fn: string, source: unknown): AsyncIterable<Uint8Array | string> {
  if (typeof source === 'string' || !isIterable(source)) {
    throw new TypeError(`${fn}: source must be an async iterable of chunks (a Node readable stream is one), not ${kind(source)}`);
  }
  return (async function* () {
    let index = 0;
    for await (const chunk of source as AsyncIterable<unknown>) {
      if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
        throw new TypeError(`${fn}: chunk ${index} of the source must be a string or a Uint8Array, not ${kind(chunk)}`);
      }
      index++;
      yield chunk;
    }
  })();
}

const PARSE_KEYS = ['source', 'encoding', 'inputType', 'maxLineBytes'] as const;

/** `parse`'s options (`stream`: `parseStream`'s, which add `onDiagnostic`). */
export function checkParseOptions(fn: string, options: unknown, stream: boolean): CheckedParseOptions {
  const o = optionsObject(fn, options, stream ? [...PARSE_KEYS, 'onDiagnostic'] : PARSE_KEYS);
  const source = optional<string>(fn, o, 'source', 'a string', (v) => typeof v === 'string') ?? '-';
  const encoding = optional<string>(fn, o, 'encoding', 'a string', (v) => typeof v === 'string') ?? 'auto';
  const inputType = optional<string>(fn, o, 'inputType', 'a string', (v) => typeof v === 'string') ?? 'auto';
  if (!INPUT_TYPES.includes(inputType as InputType)) {
    throw new RangeError(`${fn}: options.inputType must be ${INPUT_TYPES.map((t) => `"${t}"`).join(', ')}, not "${inputType}"`);
  }
  const maxLineBytes = optional<number>(fn, o, 'maxLineBytes', 'a number', (v) => typeof v === 'number');
  if (maxLineBytes !== undefined && !(Number.isSafeInteger(maxLineBytes) && maxLineBytes >= 1)) {
    throw new RangeError(`${fn}: options.maxLineBytes must be a whole number of bytes, 1 or more, not ${maxLineBytes}`);
  }
  const onDiagnostic = optional<(d: Diagnostic) => void>(fn, o, 'onDiagnostic', 'a function', (v) => typeof v === 'function');
  return { source, encoding, inputType: inputType as InputType, maxLineBytes, onDiagnostic };
}

/** A formatter's options: `flags` are the boolean options this formatter takes. */
export function checkFormatOptions(fn: string, options: unknown, flags: readonly ('compact' | 'excel' | 'table')[]): CheckedFormatOptions {
  const o = optionsObject(fn, options, ['fields', ...flags]);
  const flag = (name: 'compact' | 'excel' | 'table'): boolean => optional<boolean>(fn, o, name, 'a boolean', (v) => typeof v === 'boolean') ?? false;
  return { fields: checkFields(fn, o.fields), compact: flag('compact'), excel: flag('excel'), table: flag('table') };
}

/** A formatter's posts: an array or another iterable, or an async iterable. */
export function checkPosts(fn: string, posts: unknown): Iterable<unknown> | AsyncIterable<unknown> {
  if (typeof posts !== 'string' && isIterable(posts)) return posts as Iterable<unknown> | AsyncIterable<unknown>;
  throw new TypeError(`${fn}: posts must be an array (or an iterable, or an async iterable) of posts, not ${kind(posts)}`);
}

/**
 * Post number `index` of a formatter's input, with every field it writes of the type `Post` says: a
 * post without one is an error, never a record with a hole in it (JSON has no `undefined`).
 */
export function checkPost(fn: string, post: unknown, index: number, fields: readonly PostField[]): Post {
  if (typeof post !== 'object' || post === null) throw new TypeError(`${fn}: posts[${index}] must be a post object, not ${kind(post)}`);
  const record = post as Record<string, unknown>;
  for (const field of fields) {
    const value = record[field];
    const type = FIELD_TYPES[field];
    if (type.accepts(value)) continue;
    const what = value === undefined && !type.accepts(undefined) ? 'is missing' : `must be ${type.name}, not ${kind(value)}`;
    throw new TypeError(`${fn}: posts[${index}].${field} ${what}`);
  }
  // The excerpt is encoded whether it is written or not.
  if (!fields.includes('excerpt') && record.excerpt !== undefined && typeof record.excerpt !== 'string') {
    throw new TypeError(`${fn}: posts[${index}].excerpt must be a string, not ${kind(record.excerpt)}`);
  }
  return post as Post;
}

const isString = (v: unknown): boolean => typeof v === 'string';
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const orNull =
  (f: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === null || f(v);
const orAbsent =
  (f: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === undefined || f(v);
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every(isString);

/** What each field must hold; the enrichment fields may be absent (they are written as null, or []). */
const FIELD_TYPES: Record<PostField, { name: string; accepts(v: unknown): boolean }> = {
  title: { name: 'a string', accepts: isString },
  author: { name: 'a string', accepts: isString },
  date: { name: 'a string', accepts: isString },
  readers: { name: 'a number or null', accepts: orNull(isCount) },
  excerpt: { name: 'a string', accepts: isString },
  url: { name: 'a string or null', accepts: orNull(isString) },
  id: { name: 'a number or null', accepts: orNull(isCount) },
  source: { name: 'a string', accepts: isString },
  line: { name: 'a number', accepts: isCount },
  series: { name: 'a string or null', accepts: orAbsent(orNull(isString)) },
  part: { name: 'a number or null', accepts: orAbsent(orNull(isCount)) },
  categories: { name: 'an array of strings', accepts: orAbsent(isStrings) },
  tags: { name: 'an array of strings', accepts: orAbsent(isStrings) },
};

function checkFields(fn: string, fields: unknown): readonly PostField[] | undefined {
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields)) throw new TypeError(`${fn}: options.fields must be an array of field names, not ${kind(fields)}`);
  const seen = new Set<unknown>();
  for (const field of fields) {
    if (typeof field !== 'string') throw new TypeError(`${fn}: options.fields must hold field names (strings), not ${kind(field)}`);
    if (!(ALL_FIELDS as readonly string[]).includes(field))
      throw new RangeError(`${fn}: options.fields: unknown field "${field}"; the fields are ${ALL_FIELDS.join(', ')}`);
    if (seen.has(field)) throw new RangeError(`${fn}: options.fields: "${field}" is named twice`);
    seen.add(field);
  }
  return fields as PostField[];
}

/** The options object (undefined is none), without a key the function does not know (a typo would be ignored). */
function optionsObject(fn: string, options: unknown, keys: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${fn}: options must be an object, not ${kind(options)}`);
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw new RangeError(`${fn}: unknown option "${key}" (the options are ${keys.join(', ')})`);
  }
  return options as Record<string, unknown>;
}

/** `o[key]`, undefined when left out; a value that `is` does not accept is a TypeError. */
function optional<T>(fn: string, o: Record<string, unknown>, key: string, type: string, is: (v: unknown) => boolean): T | undefined {
  const value = o[key];
  if (value === undefined) return undefined;
  if (!is(value)) throw new TypeError(`${fn}: options.${key} must be ${type}, not ${kind(value)}`);
  return value as T;
}

function isIterable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (Symbol.asyncIterator in v || Symbol.iterator in v);
}

/** A value's kind for a message: `null`, `undefined`, `a number (8)`, `an ArrayBuffer`, `an array`. */
function kind(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v === 'number' ? 'a number' : `a ${typeof v}`} (${String(v)})`;
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (Array.isArray(v)) return 'an array';
  const name = (v as object).constructor?.name;
  if (name === undefined || name === 'Object') return 'an object';
  return 'AEIOU'.includes(name.charAt(0)) ? `an ${name}` : `a ${name}`;
}
