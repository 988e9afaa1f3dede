import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';
import { findingsOf } from '../../../../test/helpers/run-rule';

describeRuleFixtures('secret-literal-data');

describe('secret-literal-data', () => {
  it('names the keys and never the values', () => {
    const found = findingsOf(
      'secret-literal-data',
      'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { a: c2VjcmV0 }\nstringData: { b: hunter2 }\n',
    );
    expect(found).toEqual([
      'Secret s data: Secret has literal values in data (keys: a); deliver them from an external secret store instead',
      'Secret s stringData: Secret has literal values in stringData (keys: b); deliver them from an external secret store instead',
    ]);
    expect(found.join()).not.toMatch(/hunter2|c2VjcmV0/);
  });
});
