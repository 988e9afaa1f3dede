import * as fs from 'fs';
import * as path from 'path';
import { audit } from '../../engine';
import { parseManifestText } from '../../../manifest/manifests';
import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('api-field-format');

const read = (name: string) =>
  parseManifestText(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).objects;

describe('api-field-format', () => {
  it('reports what the API server refuses beyond the schema, at the field', () => {
    const at = (file: string) =>
      audit(read(file), { only: ['api-field-format'] }).findings.map((f) => `${f.path}: ${f.message}`);
    expect(at('fail/service-name-digit.yaml')).toEqual([
      "metadata.name: must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter and ending alphanumeric, at most 63 characters",
    ]);
    expect(at('fail/cron-out-of-range.yaml')).toEqual(['spec.schedule: end of range (99) above maximum (59): 99']);
  });
});
