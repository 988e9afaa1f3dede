import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('rbac-secrets-read');
