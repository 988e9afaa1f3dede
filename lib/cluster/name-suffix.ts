import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';

/**
 * A random hex suffix, chosen once per stack and kept in its state: names a cloud keeps reserved after deletion (GKE
 * key rings cannot be deleted; a soft-deleted Key Vault name stays taken for 90 days) get a fresh one when a stack is
 * destroyed and created again, so a throwaway cluster can be recreated under the same cluster name.
 * @param bytes 2 bytes give 4 hex characters
 */
export function nameSuffix(name: string, bytes: number, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const args: random.RandomIdArgs = { byteLength: bytes };
  return new random.RandomId(name, args, opts).hex;
}
