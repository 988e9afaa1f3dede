import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('rbac-workload-create');
