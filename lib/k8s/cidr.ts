/** A CIDR with prefix length 0 (`0.0.0.0/0`, `::/0`) admits every address. */
export function isOpenToAll(cidr: string): boolean {
  return /\/0+$/.test(cidr.trim());
}
