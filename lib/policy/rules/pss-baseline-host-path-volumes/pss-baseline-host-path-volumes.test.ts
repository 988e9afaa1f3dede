import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('pss-baseline-host-path-volumes');
