/** The largest value of an `int32` field of the Kubernetes API (replicas, ports, probe timings, history limits...). */
export const INT32_MAX = 2147483647;

/** True for an integer an `int32` API field can hold. */
export function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= INT32_MAX;
}
