import { policyRuleProblems, PolicyRuleLike, RbacProblem } from '../../lib/k8s/rbac';

function ids(rule: PolicyRuleLike): string[] {
  return policyRuleProblems(rule).map((p) => `${p.ruleId} ${p.field}=${p.value}`);
}

describe('policyRuleProblems', () => {
  it('accepts a least-privilege rule', () => {
    expect(policyRuleProblems({ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] })).toEqual(
      [],
    );
    expect(
      policyRuleProblems({ apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['patch'] }),
    ).toEqual([]);
  });

  it('reports every wildcard with its field, value, message and fix', () => {
    const problems = policyRuleProblems({ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] });
    expect(problems).toEqual<RbacProblem[]>([
      {
        ruleId: 'rbac-wildcard',
        field: 'apiGroups',
        value: '*',
        message: "apiGroups contains '*', which grants every API group, including ones installed later",
        fix: "list the exact apiGroups the workload needs instead of '*'",
      },
    ]);
    expect(ids({ apiGroups: [''], resources: ['*/status'], verbs: ['get'] })).toEqual([
      'rbac-wildcard resources=*/status',
    ]);
    expect(policyRuleProblems({ apiGroups: [''], resources: ['*/status'], verbs: ['get'] })[0].message).toBe(
      "resources contains '*/status', which grants 'status' of every resource",
    );
    expect(ids({ nonResourceURLs: ['/healthz'], verbs: ['*'] })).toEqual(['rbac-wildcard verbs=*']);
  });

  it('expands wildcards: everything on everything trips every check', () => {
    expect(ids({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] })).toEqual([
      'rbac-wildcard apiGroups=*',
      'rbac-wildcard resources=*',
      'rbac-wildcard verbs=*',
      'rbac-escalation-verbs verbs=*',
      'rbac-escalation-verbs verbs=*',
      'rbac-escalation-verbs verbs=*',
      'rbac-secrets-read verbs=*',
      'rbac-port-forward-proxy resources=*',
      'rbac-port-forward-proxy resources=*',
      'rbac-port-forward-proxy resources=*',
      'rbac-workload-create verbs=*',
      'rbac-policy-write verbs=*',
      'rbac-csr-approval resources=*',
      'rbac-csr-approval verbs=*',
      'rbac-sensitive-subresources resources=*',
      'rbac-sensitive-subresources resources=*',
      'rbac-sensitive-subresources resources=*',
      'rbac-sensitive-subresources resources=*',
    ]);
  });

  it('reports escalate, bind and impersonate on the resources they act on', () => {
    const [bind] = policyRuleProblems({
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['clusterroles'],
      verbs: ['bind'],
    });
    expect(bind).toEqual({
      ruleId: 'rbac-escalation-verbs',
      field: 'verbs',
      value: 'bind',
      message: "verbs grant 'bind' on 'clusterroles', which lets the subject grant itself permissions it does not hold",
      fix: "remove 'bind' from verbs; have an administrator manage RBAC instead",
    });
    expect(ids({ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] })).toEqual([
      'rbac-escalation-verbs verbs=impersonate',
    ]);
    expect(
      ids({ apiGroups: ['authentication.k8s.io'], resources: ['userextras/scopes'], verbs: ['impersonate'] }),
    ).toEqual(['rbac-escalation-verbs verbs=impersonate']);
    expect(
      ids({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate', 'bind', 'get'] }),
    ).toEqual(['rbac-escalation-verbs verbs=escalate', 'rbac-escalation-verbs verbs=bind']);
    expect(
      policyRuleProblems({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['*'] })[1].message,
    ).toBe(
      "verbs grant 'escalate' (through '*') on 'roles', which lets the subject grant itself permissions it does not hold",
    );
  });

  it('does not report escalation verbs on resources or groups they do not act on', () => {
    expect(ids({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', 'list'] })).toEqual([]);
    expect(ids({ apiGroups: ['apps'], resources: ['roles'], verbs: ['bind'] })).toEqual([]);
    expect(ids({ apiGroups: [''], resources: ['pods'], verbs: ['impersonate'] })).toEqual([]);
  });

  it('reports list and watch on secrets, and get without resourceNames', () => {
    expect(ids({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] })).toEqual([
      'rbac-secrets-read verbs=list',
      'rbac-secrets-read verbs=watch',
      'rbac-secrets-read resourceNames=',
    ]);
    expect(policyRuleProblems({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] })).toEqual([
      {
        ruleId: 'rbac-secrets-read',
        field: 'resourceNames',
        value: '',
        message: "verbs grant 'get' on 'secrets' without resourceNames, so every Secret in scope can be read",
        fix: 'set resourceNames to the Secrets the workload reads, or mount them as volumes instead',
      },
    ]);
    expect(
      policyRuleProblems({ apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['watch'] })[0]
        .message,
    ).toBe(
      "verbs grant 'watch' on 'secrets', which reads every Secret in scope (resourceNames do not limit it unless the client sends a field selector)",
    );
  });

  it('accepts get on named secrets and secrets in other API groups', () => {
    expect(ids({ apiGroups: [''], resources: ['secrets'], resourceNames: ['db-password'], verbs: ['get'] })).toEqual(
      [],
    );
    expect(ids({ apiGroups: ['secrets-store.csi.x-k8s.io'], resources: ['secrets'], verbs: ['list'] })).toEqual([]);
    expect(ids({ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete'] })).toEqual([]);
  });

  it('reads a missing apiGroups as possibly the core group', () => {
    expect(ids({ resources: ['secrets'], verbs: ['list'] })).toEqual(['rbac-secrets-read verbs=list']);
  });

  it('reports sensitive subresources directly and through * and */sub, not through pods/*', () => {
    expect(ids({ apiGroups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['create'] })).toEqual([
      'rbac-sensitive-subresources resources=pods/exec',
      'rbac-sensitive-subresources resources=pods/attach',
    ]);
    const [token] = policyRuleProblems({ apiGroups: [''], resources: ['*/token'], verbs: ['create'] }).filter(
      (p) => p.ruleId === 'rbac-sensitive-subresources',
    );
    expect(token).toEqual({
      ruleId: 'rbac-sensitive-subresources',
      field: 'resources',
      value: '*/token',
      message:
        "resources grant 'serviceaccounts/token' (through '*/token'), which mints tokens for the service accounts in scope and so acts as them",
      fix: "replace '*/token' with the resources the workload needs, without 'serviceaccounts/token'",
    });
    expect(ids({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] })).toEqual([
      'rbac-sensitive-subresources resources=nodes/proxy',
    ]);
    // The API server matches `pods/*` literally, so it grants no subresource.
    expect(ids({ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] })).toEqual([]);
    expect(ids({ apiGroups: [''], resources: ['pods/log', 'pods/portforward'], verbs: ['get'] })).toEqual([
      'rbac-port-forward-proxy resources=pods/portforward',
    ]);
  });

  it('reports port-forward and proxy subresources with any verb', () => {
    expect(
      ids({ apiGroups: [''], resources: ['pods/portforward', 'pods/proxy', 'services/proxy'], verbs: ['get'] }),
    ).toEqual([
      'rbac-port-forward-proxy resources=pods/portforward',
      'rbac-port-forward-proxy resources=pods/proxy',
      'rbac-port-forward-proxy resources=services/proxy',
    ]);
    expect(
      policyRuleProblems({ apiGroups: [''], resources: ['*/proxy'], verbs: ['get'] }).map((p) => p.message),
    ).toEqual([
      "resources contains '*/proxy', which grants 'proxy' of every resource",
      "resources grant 'pods/proxy' (through '*/proxy'), which sends HTTP requests to the pods in scope through the API server, past their NetworkPolicies",
      "resources grant 'services/proxy' (through '*/proxy'), which sends HTTP requests to the Services in scope through the API server, past their NetworkPolicies",
      "resources grant 'nodes/proxy' (through '*/proxy'), which reaches the kubelet API of the nodes and through it every pod on them (even with only 'get')",
    ]);
    expect(ids({ apiGroups: ['apps'], resources: ['pods/portforward'], verbs: ['create'] })).toEqual([]);
  });

  it('reports create on pods and pod controllers in one problem, not patch of a rollout', () => {
    expect(
      policyRuleProblems({
        apiGroups: ['', 'apps', 'batch'],
        resources: ['pods', 'deployments', 'cronjobs'],
        verbs: ['create'],
      }),
    ).toEqual([
      {
        ruleId: 'rbac-workload-create',
        field: 'verbs',
        value: 'create',
        message:
          "verbs grant 'create' on 'pods', 'deployments', 'cronjobs', which runs a pod of the subject's choosing: it can mount every Secret and run as every ServiceAccount of the namespace",
        fix: "remove 'create'; let a deployment pipeline or an operator with a reviewed role create workloads",
      },
    ]);
    expect(ids({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch', 'update'] })).toEqual([]);
    expect(ids({ apiGroups: ['apps'], resources: ['pods'], verbs: ['create'] })).toEqual([]);
    expect(ids({ apiGroups: [''], resources: ['configmaps', 'events'], verbs: ['create'] })).toEqual([]);
  });

  it('reports writes to NetworkPolicies and admission objects, not reads', () => {
    const [p] = policyRuleProblems({
      apiGroups: ['networking.k8s.io', 'admissionregistration.k8s.io'],
      resources: ['networkpolicies', 'validatingadmissionpolicybindings'],
      verbs: ['get', 'delete', 'patch'],
    });
    expect(p.message).toBe(
      "verbs grant 'patch', 'delete' on 'networkpolicies', 'validatingadmissionpolicybindings', which lets the subject open or remove network isolation and weaken or switch off admission control",
    );
    expect(
      ids({ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] }),
    ).toEqual([]);
  });

  it('reports CSR approval and signer approve, not creating a CSR', () => {
    expect(
      ids({
        apiGroups: ['certificates.k8s.io'],
        resources: ['certificatesigningrequests/approval'],
        verbs: ['update'],
      }),
    ).toEqual(['rbac-csr-approval resources=certificatesigningrequests/approval']);
    expect(ids({ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] })).toEqual([
      'rbac-csr-approval verbs=approve',
    ]);
    expect(
      ids({ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get'] }),
    ).toEqual([]);
  });

  it('ignores rules with no verbs and malformed field entries', () => {
    expect(ids({ apiGroups: [''], resources: ['secrets'], verbs: [] })).toEqual([]);
    expect(ids({ apiGroups: [''], resources: [42 as unknown as string, 'secrets'], verbs: ['list'] })).toEqual([
      'rbac-secrets-read verbs=list',
    ]);
  });
});
