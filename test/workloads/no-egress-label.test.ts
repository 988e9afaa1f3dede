import { JsonPatch } from 'cdk8s';
import { HardenedCronJob, HardenedDeployment, NetworkPeer } from '../../lib';
import { NO_EGRESS_LABEL } from '../../lib/construct/object-names';
import { errorOf, find, IMAGE, Manifest, shopChart, synth } from '../helpers/charts';

const podLabels = (o: Manifest): Record<string, string> => o.spec.template.metadata.labels;

describe(`the ${NO_EGRESS_LABEL} pod label (the Falco add-on's outbound-connection rule selects pods by it)`, () => {
  it('is on the pods of a workload given no egress, and on no other, decided at synth time', () => {
    const { chart } = shopChart();
    const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    const web = new HardenedDeployment(chart, 'web', { image: IMAGE, port: 8080 });
    const quiet = new HardenedDeployment(chart, 'quiet', { image: IMAGE, port: 8080 });
    const report = new HardenedCronJob(chart, 'report', { image: IMAGE, schedule: '0 3 * * *' });
    // After construction: web gets egress by allowTo, report by its peer's allowFrom; quiet only admits web.
    web.allowTo(api);
    api.allowFrom(report);
    quiet.allowFrom(web);
    const objects = synth(chart);
    expect(podLabels(find(objects, 'Deployment', 'quiet'))[NO_EGRESS_LABEL]).toBe('true');
    expect(podLabels(find(objects, 'Deployment', 'api'))[NO_EGRESS_LABEL]).toBe('true');
    expect(podLabels(find(objects, 'Deployment', 'web'))).not.toHaveProperty(NO_EGRESS_LABEL);
    const cron = find(objects, 'CronJob', 'report');
    expect(cron.spec.jobTemplate.spec.template.metadata.labels).not.toHaveProperty(NO_EGRESS_LABEL);
  });

  it('goes away with egress to an address range outside the cluster', () => {
    const { chart } = shopChart();
    const api = new HardenedDeployment(chart, 'api', { image: IMAGE, port: 8080 });
    api.allowTo(NetworkPeer.cidr('10.20.0.0/16'), 5432);
    expect(podLabels(find(synth(chart), 'Deployment', 'api'))).not.toHaveProperty(NO_EGRESS_LABEL);
  });

  it('cannot be patched away or set by the labels prop', () => {
    const { chart } = shopChart();
    new HardenedDeployment(chart, 'own', { image: IMAGE, port: 8080, labels: { [NO_EGRESS_LABEL]: 'false' } });
    expect(podLabels(find(synth(chart), 'Deployment', 'own'))[NO_EGRESS_LABEL]).toBe('true');
    const other = shopChart();
    const api = new HardenedDeployment(other.chart, 'api', { image: IMAGE, port: 8080 });
    api.resource.addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${NO_EGRESS_LABEL.replace('/', '~1')}`));
    expect(errorOf(() => synth(other.chart))).toContain(
      'without the no-egress label on its pods, the Falco add-on no longer reports their unexpected outbound connections',
    );
  });
});
