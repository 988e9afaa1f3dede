import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';

const EKS_CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

export interface EksClusterAccessArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  readonly authorizedNetworks: readonly string[];
  readonly adminRoleArns: readonly string[];
}

/**
 * Who reaches the API and who administers it: the private endpoint accepts 443 from the authorized networks only (CIS
 * EKS 5.4.1; the nodes share the cluster security group), and the admin roles get cluster-admin through access entries
 * (CIS EKS 4.1.7: the cluster access manager, not the aws-auth ConfigMap).
 */
export class EksClusterAccess extends BulwarkComponent {
  constructor(name: string, args: EksClusterAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super('EksClusterAccess', name, opts);
    const child = { parent: this };
    args.authorizedNetworks.forEach((cidr, i) => {
      const ruleArgs: aws.vpc.SecurityGroupIngressRuleArgs = {
        securityGroupId: args.clusterSecurityGroupId,
        cidrIpv4: cidr,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: `Kubernetes API from authorized network ${cidr}`,
      };
      new aws.vpc.SecurityGroupIngressRule(`${name}-api-ingress-${i}`, ruleArgs, child);
    });
    args.adminRoleArns.forEach((principalArn, i) => {
      const entryArgs: aws.eks.AccessEntryArgs = { clusterName: args.clusterName, principalArn, type: 'STANDARD' };
      const entry = new aws.eks.AccessEntry(`${name}-admin-${i}`, entryArgs, child);
      const associationArgs: aws.eks.AccessPolicyAssociationArgs = {
        clusterName: args.clusterName,
        principalArn,
        policyArn: pulumi.interpolate`arn:${args.partition}:eks::aws:cluster-access-policy/${EKS_CLUSTER_ADMIN_POLICY}`,
        accessScope: { type: 'cluster' },
      };
      new aws.eks.AccessPolicyAssociation(`${name}-admin-${i}-policy`, associationArgs, {
        ...child,
        dependsOn: [entry],
      });
    });
    this.registerOutputs({});
  }
}
