import { EXPIRES_PATTERN, ExemptionGrant, GRANT_API_GROUP, GRANT_SET_KIND, grantSetObject } from '../exemption-grants';
import { MAX_REASON_LENGTH, VISIBLE_CHARACTER_RE2_PATTERN } from '../exemption-reason';
import { K8sObject } from '../../k8s/k8s-object';
import { CLUSTER_SCOPED_KINDS } from '../../k8s/cluster-scoped-kinds';

/**
 * The objects that make exemption grants work in a cluster, installed with the admission policies:
 *
 * - the CustomResourceDefinition of ExemptionGrantSet (bulwark.dev/v1alpha1), **cluster-scoped**;
 * - the ExemptionGrantSet `bulwark` holding the grants (empty by default): the parameter every policy binding reads
 *   (`paramRef`, `parameterNotFoundAction: Deny`, so that deleting it denies rather than exempts);
 * - ClusterRoles `bulwark-exemption-grant-editor` (write) and `bulwark-exemption-grant-viewer` (read), bound to nobody:
 *   the platform team binds the editor role to its approvers with a ClusterRoleBinding.
 *
 * Why a workload's author cannot grant themselves an exemption: the grants are a cluster-scoped resource. A RoleBinding
 * (all a namespace owner can create) never grants access to cluster-scoped resources; the built-in roles that
 * namespace owners get (admin, edit) aggregate only ClusterRoles labelled for aggregation, and bulwark labels none; so
 * only subjects bound cluster-wide (cluster-admin, or the editor role through a ClusterRoleBinding) can write a grant.
 * Anyone able to create ClusterRoleBindings or to change the admission policies is a cluster admin already.
 */

export const GRANT_CRD_NAME = `exemptiongrantsets.${GRANT_API_GROUP}`;
export const GRANT_EDITOR_ROLE = 'bulwark-exemption-grant-editor';
export const GRANT_VIEWER_ROLE = 'bulwark-exemption-grant-viewer';

const MANAGED = { 'app.kubernetes.io/managed-by': 'bulwark' };

const visibleText = (description: string) => ({
  type: 'string',
  minLength: 1,
  maxLength: MAX_REASON_LENGTH,
  // Unanchored, as OpenAPI patterns are: at least one visible character (lib/policy/exemption-reason.ts).
  pattern: VISIBLE_CHARACTER_RE2_PATTERN,
  description,
});

/** The CustomResourceDefinition of ExemptionGrantSet. Its schema refuses malformed grants when they are written. */
export function exemptionGrantCrd(): K8sObject {
  const grant = {
    type: 'object',
    required: ['rule', 'reason', 'approver', 'expires'],
    properties: {
      namespace: {
        type: 'string',
        maxLength: 63,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description:
          'Namespace of the exempted objects. Left out only for a cluster-scoped object (ClusterRole, webhook configuration), named by kind and name.',
      },
      kind: {
        type: 'string',
        maxLength: 63,
        pattern: '^[A-Z][A-Za-z0-9]*$',
        description:
          'Kind of the named workload (Deployment, StatefulSet, DaemonSet, CronJob, Job, Pod, ...). With name.',
      },
      name: {
        type: 'string',
        maxLength: 253,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
        description:
          'Name of the exempted workload (and of the objects its controller creates). One of name (with kind), selector.',
      },
      selector: {
        type: 'object',
        description:
          "Label selector over the pods' labels; it must pin a label value (matchLabels or an In expression). One of name, selector.",
        properties: {
          matchLabels: {
            type: 'object',
            maxProperties: 20,
            additionalProperties: { type: 'string', maxLength: 63 },
          },
          matchExpressions: {
            type: 'array',
            maxItems: 20,
            items: {
              type: 'object',
              required: ['key', 'operator'],
              properties: {
                key: { type: 'string', maxLength: 317 },
                operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
                values: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 63 } },
              },
            },
          },
        },
      },
      rule: {
        type: 'string',
        maxLength: 100,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        description: 'Id of the catalog rule (docs/rules.md).',
      },
      reason: visibleText('Why the exemption is granted.'),
      approver: visibleText('Who approved it: a person or a ticket.'),
      expires: {
        type: 'string',
        pattern: EXPIRES_PATTERN,
        description: 'When the grant stops counting: RFC 3339 with whole seconds, e.g. 2027-01-31T00:00:00Z.',
      },
    },
    'x-kubernetes-validations': [
      { rule: 'has(self.name) != has(self.selector)', message: 'give exactly one of name and selector' },
      {
        rule: `has(self.namespace) || (has(self.name) && has(self.kind) && self.kind in ${JSON.stringify([...CLUSTER_SCOPED_KINDS].sort())})`,
        message: 'give the namespace of the exempted objects (left out only for a cluster-scoped kind, with name)',
      },
      { rule: 'has(self.name) == has(self.kind)', message: 'kind goes with name: give the kind of the named workload' },
      {
        rule:
          '!has(self.selector) || (has(self.selector.matchLabels) && size(self.selector.matchLabels) > 0) || ' +
          "(has(self.selector.matchExpressions) && self.selector.matchExpressions.exists(e, e.operator == 'In' && " +
          'has(e.values) && size(e.values) > 0))',
        message:
          'the selector must pin a label value (matchLabels, or an In expression); otherwise it covers every other pod of the namespace',
      },
    ],
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: GRANT_CRD_NAME, labels: { ...MANAGED } },
    spec: {
      group: GRANT_API_GROUP,
      scope: 'Cluster',
      names: {
        kind: GRANT_SET_KIND,
        listKind: `${GRANT_SET_KIND}List`,
        plural: 'exemptiongrantsets',
        singular: 'exemptiongrantset',
      },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description:
                'Exemptions from bulwark rules granted by the platform team. The admission policies read the one named bulwark.',
              properties: {
                spec: {
                  type: 'object',
                  properties: { grants: { type: 'array', maxItems: 5000, items: grant } },
                },
              },
            },
          },
        },
      ],
    },
  };
}

function grantRole(name: string, verbs: readonly string[]): K8sObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...MANAGED } },
    rules: [{ apiGroups: [GRANT_API_GROUP], resources: ['exemptiongrantsets'], verbs: [...verbs] }],
  };
}

/** The CRD, the grant set holding `grants`, and the editor and viewer ClusterRoles, in the order to apply them. */
export function exemptionGrantObjects(grants: readonly ExemptionGrant[] = []): K8sObject[] {
  return [
    exemptionGrantCrd(),
    grantSetObject(grants),
    grantRole(GRANT_EDITOR_ROLE, ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
    grantRole(GRANT_VIEWER_ROLE, ['get', 'list', 'watch']),
  ];
}
