import { exemptionAnnotationKey } from '../exemption-annotations';
import { CONTROLLER_LINKS, EXPIRES_PATTERN, GRANT_SET_KIND, GRANT_SET_NAME } from '../exemption-grants';
import { MAX_REASON_LENGTH, VISIBLE_CHARACTER_PATTERN } from '../exemption-reason';
import { celString } from './cel-literal';
import { podTemplateOf } from './pod-cel';

/**
 * The CEL side of lib/policy/exemption-grants.ts and exemption-reason.ts: an exemption annotation counts only when
 * the policy's parameter (the ExemptionGrantSet `bulwark`, `params`) holds an unexpired grant for the rule, the
 * request's namespace and the object. These expressions run in matchConditions, which cannot read `variables`, so
 * they only use `object`, `request` and `params`.
 */

const TEMPLATE = podTemplateOf('object');
const LABELS = `${TEMPLATE}.?metadata.?labels.orValue({})`;

/**
 * `text` (a CEL string) holds at most MAX_REASON_LENGTH code points and visible text (exemption-reason.ts). The size
 * is tested first: a long value never reaches the regular expression, whose cost grows with the text's length.
 */
function reasonOk(text: string): string {
  return `(size(${text}) <= ${MAX_REASON_LENGTH} && ${text}.matches(${celString(VISIBLE_CHARACTER_PATTERN)}))`;
}

function annotationOf(root: string, key: string): string {
  return `${root}.?metadata.?annotations[?${celString(key)}]`;
}

/** The object or its pod template carries the exemption annotation of the rule (whatever its value). */
export function exemptionRequestedExpression(ruleId: string): string {
  const key = exemptionAnnotationKey(ruleId);
  return `(${annotationOf('object', key)}.hasValue() || ${annotationOf(TEMPLATE, key)}.hasValue())`;
}

/** The object or its pod template carries the rule's exemption annotation with an acceptable reason. */
export function exemptionReasonOkExpression(ruleId: string): string {
  const key = exemptionAnnotationKey(ruleId);
  return (
    `(${reasonOk(`${annotationOf('object', key)}.orValue('')`)} || ` +
    `${reasonOk(`${annotationOf(TEMPLATE, key)}.orValue('')`)})`
  );
}

const USER = 'request.userInfo.username';
const creatorsOf = (object: string, owner: string): string => {
  const link = CONTROLLER_LINKS.find((l) => l.object === object && l.owner === owner);
  if (!link) throw new Error(`no controller link ${owner} -> ${object}`);
  return `${USER} in [${link.creators.map(celString).join(', ')}]`;
};

/**
 * Controller reference `r` ties this object to grant `g`'s workload, and the request comes from the controller that
 * creates such objects (CONTROLLER_LINKS): directly (a Deployment's ReplicaSet, a CronJob's Job, the pods of a
 * DaemonSet, StatefulSet, Job, ReplicaSet or ReplicationController), or one step further by the names Kubernetes
 * gives (a Deployment's pod through its ReplicaSet `<name>-<pod-template-hash>`, a CronJob's pod through its Job
 * `<name>-<scheduled minute>`). Each step was admitted on its own, so a ReplicaSet or Job of that name created by
 * anyone else had to pass the rules itself, and so do the pods it makes from its template.
 */
const LINK_MATCH = [
  ...CONTROLLER_LINKS.map(
    (l) =>
      `(object.kind == ${celString(l.object)} && r.?kind.orValue('') == ${celString(l.owner)} && ` +
      `g.kind == ${celString(l.owner)} && r.?name.orValue('') == g.name && ${creatorsOf(l.object, l.owner)})`,
  ),
  `(object.kind == 'Pod' && r.?kind.orValue('') == 'ReplicaSet' && g.kind == 'Deployment' && ` +
    `${LABELS}[?'pod-template-hash'].hasValue() && ` +
    `r.?name.orValue('') == g.name + '-' + ${LABELS}['pod-template-hash'] && ${creatorsOf('Pod', 'ReplicaSet')})`,
  `(object.kind == 'Pod' && r.?kind.orValue('') == 'Job' && g.kind == 'CronJob' && ` +
    `r.?name.orValue('').startsWith(g.name + '-') && ` +
    `r.?name.orValue('').substring(size(g.name) + 1).matches('^[0-9]+$') && ${creatorsOf('Pod', 'Job')})`,
].join(' || ');

/** Grant `g` (with kind and name) names this object: itself, or an object its controller created (LINK_MATCH). */
const NAME_MATCH =
  "g.?kind.hasValue() && ((object.kind == g.kind && object.?metadata.?name.orValue('') == g.name) || " +
  `object.?metadata.?ownerReferences.orValue([]).exists(r, r.?controller.orValue(false) == true && (${LINK_MATCH})))`;

/**
 * Grant `g`'s label selector pins a label value (exemption-grants.ts pinsALabelValue) and matches the pod template's
 * labels (label-selector.ts matchesLabels).
 */
const SELECTOR_MATCH =
  '(size(g.selector.?matchLabels.orValue({})) > 0 || g.selector.?matchExpressions.orValue([]).exists(e, ' +
  "e.operator == 'In' && size(e.?values.orValue([])) > 0)) && " +
  `g.selector.?matchLabels.orValue({}).all(k, k in ${LABELS} && ${LABELS}[k] == g.selector.matchLabels[k]) && ` +
  'g.selector.?matchExpressions.orValue([]).all(e, ' +
  `e.operator == 'In' ? (e.key in ${LABELS} && ${LABELS}[e.key] in e.?values.orValue([])) : ` +
  `e.operator == 'NotIn' ? !(e.key in ${LABELS} && ${LABELS}[e.key] in e.?values.orValue([])) : ` +
  `e.operator == 'Exists' ? e.key in ${LABELS} : ` +
  `e.operator == 'DoesNotExist' ? !(e.key in ${LABELS}) : false)`;

/**
 * The instants the API server stamped on this request: `metadata.creationTimestamp` (set on CREATE by the API server
 * before validating admission, whatever the client sent) and the `metadata.managedFields[].time` entries (the entry of
 * the manager making a change is set to the current time). The latest of them is no earlier than the request: a
 * client can only add later instants, which make grants look expired (fail closed). CEL in Kubernetes has no clock.
 */
const STAMPS =
  "([object.?metadata.?creationTimestamp.orValue('')] + " +
  "object.?metadata.?managedFields.orValue([]).map(f, f.?time.orValue(''))).filter(t, t != '')";

/** Grant `g` is about this rule, namespace and object, and is well formed (whatever its expiry). */
function coversExpression(ruleId: string): string {
  return (
    `g.?rule.orValue('') == ${celString(ruleId)} && g.?namespace.orValue('') == request.namespace && ` +
    `(g.?name.hasValue() ? (${NAME_MATCH}) : g.?selector.hasValue() && (${SELECTOR_MATCH})) && ` +
    `${reasonOk("g.?reason.orValue('')")} && ${reasonOk("g.?approver.orValue('')")} && ` +
    `g.?expires.orValue('').matches(${celString(EXPIRES_PATTERN)})`
  );
}

/**
 * On UPDATE the creationTimestamp is the old one: the change itself must be stamped. A client can drop every
 * managedFields entry (by sending `managedFields: [{}]`), which leaves only the old creationTimestamp; then no grant
 * counts for the update (fail closed).
 */
const UPDATE_STAMPED =
  "request.operation != 'UPDATE' || " +
  "object.?metadata.?managedFields.orValue([]).exists(f, f.?time.orValue('') != '')";

const UNEXPIRED = `(${UPDATE_STAMPED}) && size(${STAMPS}) > 0 && ${STAMPS}.all(t, timestamp(t) < timestamp(g.expires))`;

const GRANTS = 'params.?spec.?grants.orValue([])';

/** An unexpired grant in the parameter covers the rule's exemption for this object. */
export function grantedExpression(ruleId: string): string {
  return `${GRANTS}.exists(g, ${coversExpression(ruleId)} && ${UNEXPIRED})`;
}

/** A grant in the parameter covers the rule's exemption for this object (expired, when grantedExpression is false). */
export function coveredExpression(ruleId: string): string {
  return `${GRANTS}.exists(g, ${coversExpression(ruleId)})`;
}

/**
 * matchCondition: false (the policy is skipped) only when the object asks for an exemption from the rule with an
 * acceptable reason AND the platform granted it (an unexpired grant in the ExemptionGrantSet).
 */
export function notExemptExpression(ruleId: string): string {
  return `!(${exemptionReasonOkExpression(ruleId)} && ${grantedExpression(ruleId)})`;
}

/**
 * A policy variable: '' when the object asks for no exemption from the rule, else a sentence saying why the
 * exemption it asks for does not count (appended to the denial message).
 */
export function exemptionNoteExpression(ruleId: string): string {
  const key = exemptionAnnotationKey(ruleId);
  const where = `ExemptionGrantSet ${GRANT_SET_NAME}`;
  return (
    `!${exemptionRequestedExpression(ruleId)} ? '' : ` +
    `!${exemptionReasonOkExpression(ruleId)} ? ${celString(
      ` The exemption annotation ${key} is ignored: its reason must hold visible text (not only whitespace, control or format characters), at most ${MAX_REASON_LENGTH} characters.`,
    )} : ` +
    `${coveredExpression(ruleId)} ? ${celString(
      ` The exemption ${key} is not granted: its grant in ${where} has expired; ask the platform team to renew it.`,
    )} : ` +
    `${celString(` The exemption ${key} is not granted: no grant in ${where} names this rule for this object in namespace `)} + request.namespace + ${celString('; ask the platform team to grant it (bulwark synth writes the request).')}`
  );
}

export { GRANT_SET_KIND };
