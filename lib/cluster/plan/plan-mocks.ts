import * as pulumi from '@pulumi/pulumi';
import { CloudMocks, MockContext } from '../contracts/cloud-contracts';
import { mockHex, NAME_SUFFIX_TYPE } from '../mock-ids';

/**
 * Mocks for the offline plan: every resource echoes its inputs and gets a plausible id, ARN, endpoint or email from
 * its cloud's mocks. An invoke the cloud does not answer fails the plan (a guess would hide a real lookup).
 */
export class PlanMocks implements pulumi.runtime.Mocks {
  constructor(
    private readonly cloud: CloudMocks,
    private readonly context: MockContext,
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = args.inputs as Record<string, unknown>;
    if (args.type === NAME_SUFFIX_TYPE) {
      // A stable stand-in for the random suffix, so that two runs of the same stack plan the same names.
      const hex = mockHex(`${args.type}/${args.name}`, 2 * Number(inputs.byteLength ?? 4));
      return { id: hex, state: { ...inputs, hex } };
    }
    const outputs = this.cloud.resource(args.type, args.name, inputs, this.context);
    return { id: outputs?.id ?? `${args.name}-id`, state: { ...inputs, ...(outputs?.state ?? {}) } };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const answer = this.cloud.invoke(args.token, args.inputs as Record<string, unknown>, this.context);
    if (answer === undefined) {
      throw new Error(
        `the offline plan has no answer for invoke '${args.token}' (inputs ${JSON.stringify(args.inputs)}): ` +
          "add it to the cloud's mocks (lib/cluster/<cloud>/<cloud>-mocks.ts) with a plausible result",
      );
    }
    return answer;
  }
}
