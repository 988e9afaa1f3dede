import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('ingress-wildcard-host');
