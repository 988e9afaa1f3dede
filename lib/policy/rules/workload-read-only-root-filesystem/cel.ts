import { defineCelTranslation } from '../../admission/cel-translation';
import { everyContainer } from '../../admission/pod-cel';

/** workload-read-only-root-filesystem: every container sets securityContext.readOnlyRootFilesystem=true. */
export const workloadReadOnlyRootFilesystemCel = defineCelTranslation({
  ruleId: 'workload-read-only-root-filesystem',
  translate: () => [
    everyContainer(
      'c.?securityContext.?readOnlyRootFilesystem.orValue(false) == true',
      'must set securityContext.readOnlyRootFilesystem=true',
    ),
  ],
});
