import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('rbac-csr-approval');
