import * as pulumi from '@pulumi/pulumi';

/** Type tokens of bulwark's cluster components: `bulwark:cluster:<Type>`. */
export function clusterTypeToken(type: string): string {
  return `bulwark:cluster:${type}`;
}

/**
 * Refuses to create a component when neither a Pulumi engine nor `pulumi.runtime.setMocks` is attached. Without one,
 * Pulumi drops every registration silently and every output resolves to undefined, so a test that built its
 * resources before setting mocks (a top-level `new`, an import with side effects) would pass while checking nothing.
 */
export function requireEngineOrMocks(typeToken: string, name: string): void {
  if (pulumi.runtime.getMonitor() !== undefined) return;
  throw new Error(
    `${typeToken} '${name}' was created with no Pulumi engine and no mocks attached: Pulumi would drop its ` +
      'registration and every output would resolve to undefined. Create it inside a Pulumi program ' +
      '(pulumi up / preview), or after pulumi.runtime.setMocks(...) in a test; runUnderMocks() in ' +
      'lib/cluster/plan does both in that order.',
  );
}

/** Base of bulwark's cluster components: the type token convention and the engine-or-mocks guard. */
export abstract class BulwarkComponent extends pulumi.ComponentResource {
  protected constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    const token = clusterTypeToken(type);
    requireEngineOrMocks(token, name);
    super(token, name, {}, opts);
  }
}

/**
 * Aliases of a resource that moved into a sub-component: it used to be registered directly under `formerParent` (the
 * component that now creates the sub-component) as `formerName`. With the alias the engine finds it under its old URN,
 * so a stack created before the move updates it in place instead of replacing it. None when there is no former parent.
 */
export function movedFrom(formerParent: pulumi.Resource | undefined, formerName?: string): pulumi.Alias[] {
  if (formerParent === undefined) return [];
  return [{ parent: formerParent, ...(formerName !== undefined ? { name: formerName } : {}) }];
}
