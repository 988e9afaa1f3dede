import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('rbac-port-forward-proxy');
