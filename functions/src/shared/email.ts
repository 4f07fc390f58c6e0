// One address, no display name, no whitespace or header-breaking characters.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** True for a plain address that can go into a header as it is (no CR/LF, no second address). */
export function isSafeAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}
