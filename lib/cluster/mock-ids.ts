import { createHash } from 'crypto';

/** A stable hex id derived from a resource's type and name, so that plan output is the same on every run. */
export function mockHex(seed: string, length = 17): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** Mock account and project number: the documentation account id AWS uses in its examples. */
export const MOCK_ACCOUNT_ID = '123456789012';

/** Type token of the random name suffix (name-suffix.ts), answered by the plan's mocks without loading @pulumi/random. */
export const NAME_SUFFIX_TYPE = 'random:index/randomId:RandomId';
