import * as containerservice from '@pulumi/azure-native/containerservice';
import * as pulumi from '@pulumi/pulumi';
import { BulwarkComponent } from '../bulwark-component';
import type { MaintenanceWindow } from '../contracts/cloud-contracts';

export interface AksMaintenanceArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly window: MaintenanceWindow;
}

/** The two AKS planned-maintenance configurations AKS reads for its upgrade channels. */
export const AKS_MAINTENANCE_CONFIGS = ['aksManagedAutoUpgradeSchedule', 'aksManagedNodeOSUpgradeSchedule'] as const;

/**
 * When AKS may upgrade: Kubernetes patches (the `patch` upgrade channel) in the window on the first configured day,
 * node images (the `NodeImage` channel) on the last; both weekly, UTC.
 */
export class AksMaintenance extends BulwarkComponent {
  constructor(name: string, args: AksMaintenanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('AksMaintenance', name, opts);
    const days = args.window.days;
    const schedule = (configName: (typeof AKS_MAINTENANCE_CONFIGS)[number], day: string) => {
      const configArgs: containerservice.MaintenanceConfigurationArgs = {
        configName,
        resourceName: args.clusterName,
        resourceGroupName: args.resourceGroupName,
        maintenanceWindow: {
          schedule: { weekly: { dayOfWeek: day, intervalWeeks: 1 } },
          durationHours: args.window.durationHours,
          startTime: `${String(args.window.startHour).padStart(2, '0')}:00`,
          utcOffset: '+00:00',
        },
      };
      new containerservice.MaintenanceConfiguration(`${name}-${configName}`, configArgs, { parent: this });
    };
    schedule('aksManagedAutoUpgradeSchedule', days[0]);
    schedule('aksManagedNodeOSUpgradeSchedule', days[days.length - 1]);
    this.registerOutputs({});
  }
}
