import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as fs from 'fs';
import * as path from 'path';

const SCHEMA_FILE = path.join(
  __dirname,
  '..',
  '..',
  'node_modules',
  '@microsoft',
  'jest-sarif',
  'lib',
  'schemas',
  'sarif-2.1.0-rtm.5.json',
);

let validator: ValidateFunction | undefined;

/**
 * The official SARIF 2.1.0 schema as an ajv validator. The file declares draft-04 but uses nothing draft-07 reads
 * differently (no boolean exclusiveMinimum), so it compiles as draft-07 once its draft-04 `$schema`/`id` are dropped.
 * Its `language` pattern has a stray `]` that is only valid without the regex `u` flag, hence unicodeRegExp: false.
 */
export function sarifValidator(): ValidateFunction {
  if (!validator) {
    const raw = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    const schema = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== '$schema' && k !== 'id'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Schema errors of a SARIF log, as readable strings (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  const validate = sarifValidator();
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
