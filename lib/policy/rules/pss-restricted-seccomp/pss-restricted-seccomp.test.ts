import { describeRuleFixtures } from '../../../../test/helpers/rule-fixtures';

describeRuleFixtures('pss-restricted-seccomp');
