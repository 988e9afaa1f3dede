import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('service-loadbalancer');
