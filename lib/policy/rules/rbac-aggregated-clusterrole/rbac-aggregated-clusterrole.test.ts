import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('rbac-aggregated-clusterrole');
